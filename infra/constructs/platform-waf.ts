import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface PlatformWafProps {
  stage: Stage;
  /** The stage's name from context, for descriptions and metric names. */
  stageName: string;
  /** Requests one IP address may make in a 5-minute window before it is blocked. */
  rateLimit: number;
}

/**
 * A regional WAF web ACL on the API stage with one rule: a per-IP rate limit. It stops a
 * single address before API Gateway, Lambda or Redis spend anything on it, which the
 * functions' per-key limits cannot do for unauthenticated traffic.
 *
 * AWS's managed common rule set is left out on purpose: its SizeRestrictions_BODY rule
 * blocks bodies over 8 KB, which every document upload (up to 4 MiB of JSON) is, and its
 * other rules inspect only the first 8 KB of a body anyway; inputs are validated by the
 * functions' schemas and size caps.
 */
export class PlatformWaf extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: PlatformWafProps) {
    super(scope, id);
    const metricPrefix = `agent-platform-${props.stageName}`;
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      // WAF allows no parentheses in descriptions.
      description: `Per-IP rate limit in front of the agent platform API, stage ${props.stageName}`,
      defaultAction: { allow: {} },
      customResponseBodies: {
        rateLimited: {
          contentType: 'APPLICATION_JSON',
          // The error shape the API uses everywhere; WAF cannot add API Gateway's request id.
          content: JSON.stringify({
            error: {
              code: 'rate_limited',
              message: 'Too many requests from this address. Retry in a few minutes.',
            },
          }),
        },
      },
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          statement: {
            rateBasedStatement: {
              limit: props.rateLimit,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
            },
          },
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'rateLimited',
                responseHeaders: [{ name: 'Retry-After', value: '60' }],
              },
            },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            // Samples keep whole requests, headers included: API keys in Authorization.
            sampledRequestsEnabled: false,
            metricName: `${metricPrefix}-rate-limit-per-ip`,
          },
        },
      ],
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        sampledRequestsEnabled: false,
        metricName: `${metricPrefix}-web-acl`,
      },
    });
    const association = new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
    // The stage ARN is built from names, not a reference: wait for the stage to exist.
    association.node.addDependency(props.stage);
  }
}
