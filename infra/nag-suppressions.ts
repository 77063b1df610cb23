import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { PlatformStack } from './platform-stack.ts';

/** Routes anyone may call: liveness for monitors, and the API description. */
export const publicRoutes: ReadonlySet<string> = new Set(['/health', '/openapi.json']);

/**
 * Every cdk-nag (AwsSolutions) finding the platform accepts, each on the narrowest
 * construct it concerns and with the reason it is acceptable. Anything not listed here
 * fails `cdk synth`.
 */
export function suppressReviewedFindings(stack: PlatformStack): void {
  const { restApi } = stack.api;

  for (const { path, method, preflight } of stack.api.methods) {
    const reason = preflight
      ? 'Catch-all (ANY) for methods no route serves: CORS preflight, which browsers send without credentials by design, and wrong methods; the function answers only which origins and methods are allowed (204 or 405) and runs no route.'
      : whyNoAuthorizer(path);
    acknowledge(method, 'AwsSolutions-APIG4', reason);
    acknowledge(method, 'AwsSolutions-COG4', reason);
  }

  acknowledge(
    restApi,
    'AwsSolutions-APIG2',
    'Every function validates its own input (path, query and body) with the route zod schema and size caps before doing anything; API Gateway models would duplicate those schemas and drift from them.',
  );
  if (!stack.waf) {
    acknowledge(
      restApi.deploymentStage,
      'AwsSolutions-APIG3',
      'WAF was turned off for this deployment in context (-c waf=false), e.g. where an organisation web ACL is associated with the stage instead; abuse is then bounded by stage throttling and per-key rate limits in the functions.',
    );
  }
  const cloudWatchRole = restApi.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole) {
    acknowledge(
      cloudWatchRole,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'The account-level role API Gateway needs to write access and execution logs; AWS documents this managed policy for it and only apigateway.amazonaws.com can assume the role.',
    );
  }

  for (const secret of stack.secrets.secrets.values()) {
    acknowledge(
      secret,
      'AwsSolutions-SMG4',
      'The secrets hold settings and third-party credentials (OpenAI, Upstash, Slack) that only their providers can issue, and the admin key hash that only its holder can replace; there is nothing a rotation Lambda could do. Rotate with npm run settings:put; running functions read the new values within 5 minutes (README).',
    );
  }

  for (const fn of stack.functions.values()) {
    acknowledge(
      fn,
      'AwsSolutions-L1',
      'Pinned to Node.js 22, the version the project is developed and tested on (the node package in devDependencies); moving runtime is a deliberate upgrade together with that toolchain.',
    );
    acknowledge(
      fn.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Only xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) use Resource "*": X-Ray supports no resource-level permissions for them.',
    );
  }
}

function whyNoAuthorizer(path: string): string {
  if (path.startsWith('/v1/')) {
    return 'Authenticated in the function: the shared middleware requires an API key (Authorization: Bearer), checks its hash in Redis and the scope the route needs, and answers 401/403 before the route runs.';
  }
  if (path.startsWith('/slack/')) {
    return "Authenticated in the function by Slack's request signature (signing secret, timestamp within 5 minutes).";
  }
  if (publicRoutes.has(path)) {
    return 'Public by design: liveness for monitors and the API description carry no tenant data.';
  }
  throw new Error(
    `Route ${path} has no authorizer and no reviewed reason: put it under /v1 (API key) or add it to the public routes in infra/nag-suppressions.ts.`,
  );
}

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
