import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDeploymentSettings } from '../../infra/context.ts';
import { PlatformStack } from '../../infra/platform-stack.ts';
import { probeCatalog } from '../fixtures/functions/catalog.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
const context = {
  ...(JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as { context: object })
    .context,
  stage: 'probe',
};

let outdir: string;
let app: App;
let stack: PlatformStack;
let template: Template;

beforeAll(() => {
  // Prepare: one function of each trigger kind, as a feature would declare them.
  outdir = mkdtempSync(join(tmpdir(), 'infra-triggers-'));
  app = new App({ outdir, context });
  stack = new PlatformStack(app, 'AgentPlatform-probe', {
    settings: readDeploymentSettings(app.node),
    projectRoot,
    catalog: probeCatalog,
  });
  template = Template.fromStack(stack);
}, 180_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const functionId = (name: string) =>
  stack.getLogicalId(stack.functions.get(name)?.node.defaultChild as never);

/** The integration of `httpMethod` on the resource `parent/pathPart`. */
function methodFor(httpMethod: string, parent: string, pathPart: string) {
  const resources = template.findResources('AWS::ApiGateway::Resource') as Record<
    string,
    { Properties: { PathPart: string; ParentId: { Ref?: string } } }
  >;
  const resourceId = Object.keys(resources).find((id) => {
    const { PathPart, ParentId } = resources[id]?.Properties ?? {};
    return PathPart === pathPart && resources[ParentId?.Ref ?? '']?.Properties.PathPart === parent;
  });
  const methods = template.findResources('AWS::ApiGateway::Method', {
    Properties: { HttpMethod: httpMethod, ResourceId: { Ref: resourceId } },
  });
  const [method] = Object.values(methods) as {
    Properties: { Integration: Record<string, unknown> };
  }[];
  if (!method) throw new Error(`no ${httpMethod} method on ${parent}/${pathPart}`);
  return method.Properties.Integration;
}

describe('a catalog with one function of each trigger kind', () => {
  it('streams streamed routes: STREAM transfer mode, the streaming invocation, the function timeout', () => {
    // Act
    const integration = methodFor('GET', 'probe', 'stream');

    // Assess
    expect(integration.ResponseTransferMode).toBe('STREAM');
    expect(integration.TimeoutInMillis).toBe(120_000);
    expect(JSON.stringify(integration.Uri)).toContain('/response-streaming-invocations');
    expect(JSON.stringify(integration.Uri)).toContain(functionId('stream-probe'));
  });

  it('buffers buffered and raw routes', () => {
    // Act
    const buffered = methodFor('GET', 'probe', 'buffered');
    const raw = methodFor('POST', 'slack', 'probe');

    // Assess
    for (const integration of [buffered, raw]) {
      expect(integration.ResponseTransferMode ?? 'BUFFERED').toBe('BUFFERED');
      expect(JSON.stringify(integration.Uri)).toContain('/invocations');
      expect(JSON.stringify(integration.Uri)).not.toContain('response-streaming');
    }
    expect(JSON.stringify(raw.Uri)).toContain(functionId('raw-probe'));
  });

  it('gives a queue function its queue and dead-letter queue, encrypted, TLS only, with a redrive after the receive count', () => {
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'agent-platform-probe-probe',
      SqsManagedSseEnabled: true,
      // Six times the consumer's 20 s timeout.
      VisibilityTimeout: 120,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'agent-platform-probe-probe-dlq',
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      Match.objectLike({
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        }),
      }),
      2,
    );
  });

  it('starts the consumer from its queue with partial batch failures and the catalog batch size', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('queue-probe') },
      BatchSize: 3,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      // No more pollers than the consumer's reserved concurrency (2 for the probe).
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  });

  it('lets a producer send to the queue it names, and tells it the URL', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ QUEUE_URL_PROBE: Match.anyValue() }) },
    });
    const producerRole = stack.getLogicalId(
      stack.functions.get('buffered-probe')?.role.node.defaultChild as never,
    );
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy).includes(`"${producerRole}"`),
    );
    expect(JSON.stringify(policies)).toContain('sqs:SendMessage');
    expect(JSON.stringify(policies)).not.toMatch(/sqs:GetQueue(Attributes|Url)/);
    const others = Object.values(template.findResources('AWS::IAM::Policy')).filter(
      (policy) => !JSON.stringify(policy).includes(`"${producerRole}"`),
    );
    expect(JSON.stringify(others)).not.toContain('sqs:SendMessage');
  });

  it('alarms when a message reaches the dead-letter queue', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
    });
  });

  it('alarms when the oldest message has waited longer than a retry takes', () => {
    // Assess: the probe's visibility timeout is 120 s; plus 3 minutes.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 300,
      Dimensions: [
        { Name: 'QueueName', Value: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }) },
      ],
    });
  });

  it('passes cdk-nag with nothing left unacknowledged', () => {
    // Act
    const report = new AwsSolutionsChecks(app).validateScope(app);

    // Assess
    expect(
      report.violations.map(
        (violation) =>
          `${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
  });
});
