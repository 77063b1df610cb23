import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionCatalog } from '#functions/catalog.ts';
import {
  type DataFolder,
  type FunctionDefinition,
  routesOf,
} from '#functions/function-definition.ts';
import { BINARY_MEDIA_TYPES } from '#local/api-gateway-event.ts';
import {
  type SettingsSecret,
  secretArnVariable,
  secretSettingNames,
  settingsSecrets,
} from '#shared/platform/config/index.ts';
import { queueUrlVariable } from '#shared/platform/queues/queue-url.ts';
import { inspectPackages } from '../../infra/bundling/bundle-packages.ts';
import { bundleFileName, esbuildOptions } from '../../infra/bundling/esbuild-options.ts';
import { readDeploymentSettings } from '../../infra/context.ts';
import { PlatformStack } from '../../infra/platform-stack.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
/** The feature flags `cdk synth` applies, from cdk.json, plus this test's deployment. */
const context = {
  ...(JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as { context: object })
    .context,
  stage: 'test',
  throttleRateLimit: 25,
  throttleBurstLimit: 40,
  logRetentionDays: 14,
  wafRateLimit: 1500,
};
const SYNTH_TIMEOUT_MS = 180_000;

/** Values no template or bundle may contain: set in the environment while synthesizing. */
const planted = Object.fromEntries(
  secretSettingNames.map((name) => [name, `planted-${name.toLowerCase()}-7f3c9e1a5b`]),
);

interface Synthesized {
  app: App;
  stack: PlatformStack;
  template: Template;
  outdir: string;
}

function synthesize(
  extraContext: Record<string, unknown> = {},
  catalog = functionCatalog,
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'infra-test-'));
  const app = new App({ outdir, context: { ...context, ...extraContext } });
  const stack = new PlatformStack(app, 'AgentPlatform-test', {
    settings: readDeploymentSettings(app.node),
    projectRoot,
    catalog,
  });
  return { app, stack, template: Template.fromStack(stack), outdir };
}

let main: Synthesized;
const cleanup: string[] = [];

beforeAll(() => {
  const previous = { ...process.env };
  Object.assign(process.env, planted);
  try {
    main = synthesize();
  } finally {
    for (const name of Object.keys(planted)) {
      if (previous[name] === undefined) delete process.env[name];
      else process.env[name] = previous[name];
    }
  }
  cleanup.push(main.outdir);
}, SYNTH_TIMEOUT_MS);

afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}

type Resource = { Type: string; Properties: Record<string, unknown> };
type Resources = Record<string, Resource>;

function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

function logicalId(stack: PlatformStack, construct: IConstruct): string {
  const cfn = construct.node.defaultChild ?? construct;
  return stack.getLogicalId(cfn as Parameters<PlatformStack['getLogicalId']>[0]);
}

/** Every method in the template as `METHOD /full/path`, with the function it invokes. */
function methodsByRoute(
  template: Template,
): Map<string, { integration: string; props: Record<string, unknown> }> {
  const apiResources = resourcesOf(template, 'AWS::ApiGateway::Resource');
  const pathOf = (ref: unknown): string => {
    const id = (ref as { Ref?: string }).Ref;
    if (!id) return ''; // Fn::GetAtt RootResourceId
    const resource = apiResources[id];
    if (!resource) throw new Error(`unknown API resource ${id}`);
    return `${pathOf(resource.Properties.ParentId)}/${String(resource.Properties.PathPart)}`;
  };
  const routes = new Map<string, { integration: string; props: Record<string, unknown> }>();
  for (const method of Object.values(resourcesOf(template, 'AWS::ApiGateway::Method'))) {
    const key = `${String(method.Properties.HttpMethod)} ${pathOf(method.Properties.ResourceId) || '/'}`;
    const uri = JSON.stringify((method.Properties.Integration as { Uri?: unknown }).Uri);
    const target = /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(uri)?.[1] ?? 'none';
    routes.set(key, { integration: target, props: method.Properties });
  }
  return routes;
}

/** The catalog's functions that read `secret`: every one for `settings`, else by its groups. */
const readersOf = (secret: SettingsSecret) =>
  functionCatalog
    .filter(({ secretGroups }) => secret === 'settings' || secretGroups.some((g) => g === secret))
    .map(({ name }) => name);

/** Logical ids of the secrets each deployed function's role may read, by function name. */
function secretsReadable(synth: Synthesized): Map<string, string[]> {
  const readable = new Map<string, string[]>();
  for (const [name, fn] of synth.stack.functions) {
    const roleId = logicalId(synth.stack, fn.role);
    const ids = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
      .flatMap(
        (policy) =>
          (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      )
      .filter((statement) => JSON.stringify(statement.Action).includes('secretsmanager:'))
      .flatMap((statement) => [statement.Resource].flat() as { Ref: string }[])
      .map((resource) => resource.Ref);
    readable.set(name, ids.sort());
  }
  return readable;
}

const secretId = (synth: Synthesized, secret: SettingsSecret) =>
  logicalId(synth.stack, synth.stack.secrets.get(secret));

function assetDirOf(synth: Synthesized, functionLogicalId: string): string {
  const fn = resourcesOf(synth.template, 'AWS::Lambda::Function')[functionLogicalId];
  const key = (defined(fn).Properties.Code as { S3Key: string }).S3Key;
  return join(synth.outdir, `asset.${key.replace(/\.zip$/, '')}`);
}

/** A stack, not bundled, whose only function is health with these catalog fields changed. */
function healthStackWith(changes: Partial<FunctionDefinition>): PlatformStack {
  const health = defined(functionCatalog.find((definition) => definition.name === 'health'));
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  return new PlatformStack(app, 'Health', {
    settings: readDeploymentSettings(app.node),
    projectRoot,
    catalog: [{ ...health, ...changes }],
  });
}

/** Every file under `dir`, as relative paths, sorted. */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(dir, path)).isFile())
    .sort();
}

const allRoutes = functionCatalog.flatMap((definition) =>
  routesOf(definition).map((route) => ({ definition, route })),
);
/** Each path's other methods (ANY: preflight, wrong methods) go to the first function serving it. */
const preflightOwner = new Map<string, string>();
for (const { definition, route } of allRoutes) {
  if (!preflightOwner.has(route.path)) preflightOwner.set(route.path, definition.name);
}

describe('routes', () => {
  it.each(allRoutes)(
    '$route.method $route.path invokes the $definition.name function',
    ({ definition, route }) => {
      const methods = methodsByRoute(main.template);
      const fn = main.stack.functions.get(definition.name);
      expect(fn).toBeDefined();
      const method = methods.get(`${route.method} ${route.path}`);
      expect(method?.integration).toBe(logicalId(main.stack, fn as IConstruct));
      expect(method?.props).toMatchObject({
        AuthorizationType: 'NONE',
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
      });
    },
  );

  it("streams /v1/chat (POST and its preflight) with the chat function's own timeout, and only it", () => {
    const streamed = [...methodsByRoute(main.template)].filter(
      ([, method]) =>
        (method.props.Integration as { ResponseTransferMode?: string }).ResponseTransferMode ===
        'STREAM',
    );

    expect(streamed.map(([route]) => route).sort()).toEqual(['ANY /v1/chat', 'POST /v1/chat']);
    for (const [, method] of streamed) {
      expect(method.props.Integration).toMatchObject({ TimeoutInMillis: 120_000 });
    }
  });

  it('has no method the catalog does not list', () => {
    const expected = [
      ...allRoutes.map(({ route }) => `${route.method} ${route.path}`),
      ...[...preflightOwner.keys()].map((path) => `ANY ${path}`),
    ].sort();
    expect([...methodsByRoute(main.template).keys()].sort()).toEqual(expected);
  });

  it.each([...preflightOwner])(
    'sends the CORS preflight of %s to the %s function',
    (path, owner) => {
      const fn = main.stack.functions.get(owner) as IConstruct;
      expect(methodsByRoute(main.template).get(`ANY ${path}`)?.integration).toBe(
        logicalId(main.stack, fn),
      );
    },
  );

  it('serves GET /health from the health function, 256 MB and 5 s', () => {
    const health = main.stack.functions.get('health') as IConstruct;
    const healthId = logicalId(main.stack, health);
    expect(methodsByRoute(main.template).get('GET /health')?.integration).toBe(healthId);
    expect(resourcesOf(main.template, 'AWS::Lambda::Function')[healthId]?.Properties).toMatchObject(
      {
        MemorySize: 256,
        Timeout: 5,
        Description: 'Liveness and dependency check',
      },
    );
  });

  it('lets each function be invoked by its own methods on this API stage only', () => {
    for (const [name, fn] of main.stack.functions) {
      const permissions = Object.values(
        resourcesOf(main.template, 'AWS::Lambda::Permission'),
      ).filter((permission) =>
        JSON.stringify(permission.Properties.FunctionName).includes(
          `"${logicalId(main.stack, fn)}"`,
        ),
      );
      const methods = [
        ...routesOf(fn.definition),
        ...[...preflightOwner]
          .filter(([, owner]) => owner === name)
          .map(([path]) => ({ method: '*', path })),
      ];
      expect(permissions, name).toHaveLength(methods.length);
      const stageId = logicalId(main.stack, main.stack.api.restApi.deploymentStage);
      const sourceArns = permissions.map((permission) => {
        expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
        // Scoped to the deployed stage: no test-invoke-stage (the console's test button).
        const parts = (permission.Properties.SourceArn as { 'Fn::Join': [string, unknown[]] })[
          'Fn::Join'
        ][1];
        expect(parts).toContainEqual({ Ref: stageId });
        return parts.at(-1);
      });
      expect(sourceArns.sort()).toEqual(
        methods.map((route) => `/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`).sort(),
      );
    }
  });

  it('uses the binary media types the local server mirrors', () => {
    main.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      BinaryMediaTypes: BINARY_MEDIA_TYPES,
    });
  });
});

describe('functions', () => {
  it.each(functionCatalog)(
    '$name runs Node.js 22 on arm64 with the catalog sizes',
    (definition) => {
      const id = logicalId(main.stack, main.stack.functions.get(definition.name) as IConstruct);
      expect(resourcesOf(main.template, 'AWS::Lambda::Function')[id]?.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: definition.memoryMb,
        Timeout: definition.timeoutSeconds,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
      });
    },
  );

  it.each(functionCatalog)(
    '$name gets only the ARNs of the secrets it reads (and source maps) in its environment',
    (definition) => {
      const id = logicalId(main.stack, main.stack.functions.get(definition.name) as IConstruct);
      const fn = defined(resourcesOf(main.template, 'AWS::Lambda::Function')[id]);
      const secrets = ['settings', ...definition.secretGroups] as SettingsSecret[];
      expect((fn.Properties.Environment as { Variables: unknown }).Variables).toEqual({
        NODE_OPTIONS: '--enable-source-maps',
        ...Object.fromEntries(
          secrets.map((secret) => [secretArnVariable(secret), { Ref: secretId(main, secret) }]),
        ),
        // And the URL of each queue it sends to.
        ...Object.fromEntries(
          (definition.sendsTo ?? []).map((queue) => [queueUrlVariable(queue), expect.anything()]),
        ),
      });
    },
  );

  it.each(functionCatalog)(
    '$name reserves the concurrency its catalog entry gives',
    (definition) => {
      const id = logicalId(main.stack, main.stack.functions.get(definition.name) as IConstruct);
      expect(
        resourcesOf(main.template, 'AWS::Lambda::Function')[id]?.Properties
          .ReservedConcurrentExecutions,
      ).toBe(definition.reservedConcurrency);
    },
  );

  it('scales the reservation with context, or reserves none (accounts with a low quota)', () => {
    const reservations = (reservedConcurrency: unknown) => {
      const synth = synthesize({ reservedConcurrency, 'aws:cdk:bundling-stacks': [] });
      cleanup.push(synth.outdir);
      return Object.values(resourcesOf(synth.template, 'AWS::Lambda::Function')).map(
        (fn) => fn.Properties.ReservedConcurrentExecutions,
      );
    };
    expect(reservations('0.5')).toEqual(
      functionCatalog.map(({ reservedConcurrency }) => Math.ceil(reservedConcurrency / 2)),
    );
    expect(reservations('false')).toEqual(functionCatalog.map(() => undefined));
  });

  it('ships ESM bundles with the require shim, source maps and no external AWS SDK', () => {
    for (const [name, fn] of main.stack.functions) {
      const dir = assetDirOf(main, logicalId(main.stack, fn));
      const definition = functionCatalog.find((candidate) => candidate.name === name);
      const extras = (definition?.extraEntryPoints ?? [])
        .map(bundleFileName)
        .flatMap((file) => [file, `${file}.map`]);
      const data = new Set((definition?.dataFolders ?? []).map(({ to }) => to.split('/')[0]));
      expect(readdirSync(dir).sort()).toEqual(
        ['index.mjs', 'index.mjs.map', ...extras, ...data].sort(),
      );
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith('import { createRequire as __createRequire }')).toBe(true);
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    }
  });
});

describe('bundles', () => {
  /** Each function rebuilt with the shared options (as the bench does), with its metafile. */
  const rebuilt = new Map<string, { outfile: string; entry: string; metafile: Metafile }>();
  beforeAll(async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'infra-bundle-'));
    cleanup.push(outdir);
    for (const name of main.stack.functions.keys()) {
      const entry = join(projectRoot, 'functions', name, 'handler.ts');
      const outfile = join(outdir, name, 'index.mjs');
      const result = await build({
        ...esbuildOptions(entry, outfile, { metafile: true }),
        absWorkingDir: projectRoot,
      });
      rebuilt.set(name, { outfile, entry, metafile: defined(result.metafile) });
    }
  }, SYNTH_TIMEOUT_MS);

  it('are what the shared esbuild options build, byte for byte (what the bench measures)', () => {
    for (const [name, fn] of main.stack.functions) {
      const deployed = readFileSync(join(assetDirOf(main, logicalId(main.stack, fn)), 'index.mjs'));
      expect(readFileSync(defined(rebuilt.get(name)).outfile).equals(deployed), name).toBe(true);
    }
  });

  it('carry no package their function does not import', () => {
    for (const [name, { outfile, entry, metafile }] of rebuilt) {
      const report = inspectPackages(metafile, outfile, entry, projectRoot);
      expect(report.packages.length, name).toBeGreaterThan(0);
      expect(report.unexpected, name).toEqual([]);
    }
  });
});

describe('permissions', () => {
  const statementsOf = (template: Template) =>
    Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(
      (policy) =>
        (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
  const list = (value: unknown) => (Array.isArray(value) ? value : [value]);

  it('gives each function exactly: write its log group, read its secrets, send traces', () => {
    for (const fn of main.stack.functions.values()) {
      const roleId = logicalId(main.stack, fn.role);
      const logGroupId = /"Ref":"([^"]+)"/.exec(
        JSON.stringify(
          resourcesOf(main.template, 'AWS::Lambda::Function')[logicalId(main.stack, fn)]?.Properties
            .LoggingConfig,
        ),
      )?.[1];
      const policies = Object.values(resourcesOf(main.template, 'AWS::IAM::Policy')).filter(
        (policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
      );
      expect(policies).toHaveLength(1);
      const statements = (
        defined(policies[0]).Properties.PolicyDocument as { Statement: unknown[] }
      ).Statement;
      expect(statements).toEqual(
        expect.arrayContaining([
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
          },
          {
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: expect.anything(),
          },
          {
            Effect: 'Allow',
            Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
            Resource: '*',
          },
        ]),
      );
      // Plus sending to each queue it names, and consuming the queue that starts it.
      const queueStatements =
        (fn.definition.sendsTo?.length ?? 0) + (fn.definition.trigger.kind === 'queue' ? 1 : 0);
      expect(statements).toHaveLength(3 + queueStatements);
      main.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
        },
        ManagedPolicyArns: Match.absent(),
      });
    }
  });

  it('lets each role read the settings secret and exactly the groups its catalog entry names', () => {
    const readable = secretsReadable(main);
    expect(readable.get('health')).toEqual(
      [secretId(main, 'redis'), secretId(main, 'settings')].sort(),
    );
    expect(readable.get('openapi')).toEqual([secretId(main, 'settings')]);
    for (const secret of settingsSecrets) {
      const readers = [...readable]
        .filter(([, ids]) => ids.includes(secretId(main, secret)))
        .map(([name]) => name);
      expect(readers, `who may read the ${secret} secret`).toEqual(readersOf(secret));
    }
    // Only what runs a model holds its key; only the Slack functions hold Slack's secrets.
    expect(readersOf('model')).toEqual(['search', 'ingest', 'chat', 'slack-worker']);
    expect(readersOf('slack')).toEqual(['slack-events', 'slack-worker']);
  });

  it('uses no wildcard action anywhere, and "*" resources only for X-Ray', () => {
    for (const statement of statementsOf(main.template)) {
      const actions = list(statement.Action) as string[];
      for (const action of actions) expect(action).not.toContain('*');
      if (list(statement.Resource).includes('*')) {
        expect(actions.every((action) => action.startsWith('xray:'))).toBe(true);
      }
    }
  });
});

describe('secrets', () => {
  it('are created per group under names derived from the stage, holding an empty JSON object', () => {
    main.template.resourceCountIs('AWS::SecretsManager::Secret', settingsSecrets.length);
    for (const secret of settingsSecrets) {
      main.template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `agent-platform/test/${secret}`,
        SecretString: '{}',
        GenerateSecretString: Match.absent(),
      });
    }
  });

  it('appears nowhere in the template or the bundles, even when set in the environment', () => {
    const texts = [JSON.stringify(main.template.toJSON())];
    for (const fn of main.stack.functions.values()) {
      const dir = assetDirOf(main, logicalId(main.stack, fn));
      for (const file of filesIn(dir)) texts.push(readFileSync(join(dir, file), 'utf8'));
    }
    for (const value of Object.values(planted)) {
      for (const text of texts) expect(text).not.toContain(value);
    }
  });
});

describe('operations', () => {
  it('keeps every log group for the days given in context', () => {
    const groups = Object.values(resourcesOf(main.template, 'AWS::Logs::LogGroup'));
    // One per function, access logs and execution logs.
    expect(groups).toHaveLength(main.stack.functions.size + 2);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(14);
  });

  it('owns the execution log group API Gateway would otherwise create without expiry', () => {
    main.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: {
        'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: Match.anyValue() }, '/test']],
      },
    });
  });

  it('throttles, traces and logs the stage as configured', () => {
    main.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'test',
      TracingEnabled: true,
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 25,
          ThrottlingBurstLimit: 40,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ],
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
    const stage = Object.values(resourcesOf(main.template, 'AWS::ApiGateway::Stage'))[0];
    const format = JSON.parse(
      (defined(stage).Properties.AccessLogSetting as { Format: string }).Format,
    ) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      xrayTraceId: '$context.xrayTraceId',
    });
    expect(JSON.stringify(format)).not.toMatch(/authorization|requestOverride|body/i);
  });

  it('alarms on API 5xx and on each function errors and throttles, into an encrypted topic', () => {
    main.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.anyValue(),
    });
    main.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const alarms = Object.values(resourcesOf(main.template, 'AWS::CloudWatch::Alarm'));
    // Per queue: its dead letters and the age of its oldest message.
    expect(alarms).toHaveLength(1 + 2 * main.stack.functions.size + 2 * main.stack.queues.size);
    const topicId = logicalId(main.stack, main.stack.alarms.topic);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    }
    const watched = (metric: string) =>
      alarms
        .filter((alarm) => alarm.Properties.MetricName === metric)
        .map((alarm) => JSON.stringify(alarm.Properties.Dimensions));
    expect(watched('5XXError')).toHaveLength(1);
    for (const fn of main.stack.functions.values()) {
      const dimension = JSON.stringify([
        { Name: 'FunctionName', Value: { Ref: logicalId(main.stack, fn) } },
      ]);
      expect(watched('Errors')).toContain(dimension);
      expect(watched('Throttles')).toContain(dimension);
    }
  });

  it('subscribes the alarm email only when context names one', () => {
    main.template.resourceCountIs('AWS::SNS::Subscription', 0);
    const withEmail = synthesize({
      alarmEmail: 'ops@example.com',
      'aws:cdk:bundling-stacks': [],
    });
    cleanup.push(withEmail.outdir);
    withEmail.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('outputs the API URL and the secret names', () => {
    const outputs = main.template.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs).sort()).toEqual([
      'AdminSecretName',
      'AlarmTopicArn',
      'ApiUrl',
      'ModelSecretName',
      'RedisSecretName',
      'SettingsSecretName',
      'SlackSecretName',
    ]);
    expect(JSON.stringify(outputs.ApiUrl)).toContain('.execute-api.');
  });
});

describe('WAF', () => {
  it('limits each IP address to the context rate per 5 minutes, answering 429 as JSON', () => {
    main.template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    main.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Name: 'RateLimitPerIp',
          Statement: {
            RateBasedStatement: { Limit: 1500, AggregateKeyType: 'IP', EvaluationWindowSec: 300 },
          },
          Action: {
            Block: {
              CustomResponse: Match.objectLike({
                ResponseCode: 429,
                CustomResponseBodyKey: 'rateLimited',
              }),
            },
          },
        }),
      ],
    });
    const body = JSON.stringify(main.template.toJSON());
    expect(body).toContain('rate_limited');
  });

  it('is associated with the API stage once the stage exists', () => {
    const stageId = logicalId(main.stack, main.stack.api.restApi.deploymentStage);
    const aclId = logicalId(main.stack, defined(main.stack.waf).webAcl);
    const associations = Object.values(
      main.template.findResources('AWS::WAFv2::WebACLAssociation'),
    ) as (Resource & { DependsOn?: string[] })[];
    expect(associations).toHaveLength(1);
    const association = defined(associations[0]);
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    const arn = JSON.stringify(association.Properties.ResourceArn);
    expect(arn).toContain(':apigateway:');
    expect(arn).toContain(`{"Ref":"${stageId}"}`);
    expect(arn).toContain(`{"Ref":"${logicalId(main.stack, main.stack.api.restApi)}"}`);
    expect(association.DependsOn).toContain(stageId);
  });

  it('can be turned off in context, and cdk-nag then takes the acknowledged reason', () => {
    const off = synthesize({ waf: 'false', 'aws:cdk:bundling-stacks': [] });
    cleanup.push(off.outdir);
    off.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    off.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    const report = new AwsSolutionsChecks(off.app).validateScope(off.app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });
});

describe('gateway responses', () => {
  const responses = () =>
    Object.values(resourcesOf(main.template, 'AWS::ApiGateway::GatewayResponse')).map(
      (response) => response.Properties,
    );
  /** What API Gateway would send: the template with its variables filled in. */
  const render = (template: string) =>
    JSON.parse(
      template
        .replaceAll('$context.requestId', 'req-123')
        .replaceAll('$context.error.messageString', '"Gateway message"'),
    ) as unknown;

  it('answers unknown paths and methods with a JSON 404 carrying the request id', () => {
    const unknown = responses().find(
      (response) => response.ResponseType === 'MISSING_AUTHENTICATION_TOKEN',
    );
    expect(unknown?.StatusCode).toBe('404');
    const body =
      (defined(unknown).ResponseTemplates as Record<string, string>)['application/json'] ?? '';
    expect(render(body)).toEqual({
      error: { code: 'not_found', message: expect.any(String), requestId: 'req-123' },
    });
  });

  it('answers every other gateway error as JSON with the request id', () => {
    const byType = new Map(responses().map((response) => [response.ResponseType, response]));
    expect([...byType.keys()].sort()).toEqual(
      [
        'DEFAULT_4XX',
        'DEFAULT_5XX',
        'MISSING_AUTHENTICATION_TOKEN',
        'REQUEST_TOO_LARGE',
        'RESOURCE_NOT_FOUND',
        'THROTTLED',
      ].sort(),
    );
    expect(byType.get('REQUEST_TOO_LARGE')?.StatusCode).toBe('413');
    expect(byType.get('THROTTLED')?.StatusCode).toBe('429');
    // The defaults keep the status API Gateway chose.
    expect(byType.get('DEFAULT_4XX')?.StatusCode).toBeUndefined();
    expect(byType.get('DEFAULT_5XX')?.StatusCode).toBeUndefined();
    for (const response of byType.values()) {
      const body = (response.ResponseTemplates as Record<string, string>)['application/json'] ?? '';
      expect(render(body)).toMatchObject({
        error: { code: expect.any(String), requestId: 'req-123' },
      });
    }
    const fiveHundred = (
      defined(byType.get('DEFAULT_5XX')).ResponseTemplates as Record<string, string>
    )['application/json'];
    // 5xx bodies never pass on API Gateway's own message (it can name the integration).
    expect(fiveHundred).not.toContain('$context.error');
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  let report: PolicyValidationPluginReport;
  beforeAll(() => {
    report = new AwsSolutionsChecks(main.app).validateScope(main.app);
  });

  it('has no unacknowledged finding, error or warning', () => {
    const findings = report.violations.map(
      (violation) =>
        `${violation.ruleName} (${violation.severity}) at ${violation.violatingResources
          .map((resource) => resource.constructPath)
          .join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges per method, so a method added outside the catalog is reported', () => {
    const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
    const stack = new PlatformStack(app, 'Unreviewed', {
      settings: readDeploymentSettings(app.node),
      projectRoot,
      catalog: functionCatalog,
    });
    stack.api.restApi.root.addResource('unreviewed').addMethod('GET');

    const rules = new AwsSolutionsChecks(app)
      .validateScope(app)
      .violations.filter((violation) =>
        violation.violatingResources.some((resource) =>
          resource.constructPath?.includes('/unreviewed/GET/'),
        ),
      )
      .map((violation) => violation.ruleName)
      .sort();
    expect(rules).toEqual(['AwsSolutions-APIG4', 'AwsSolutions-COG4']);
  });

  it('gives every acknowledgement a specific reason', () => {
    const reasons: { id: string; reason: string; path: string }[] = [];
    const visit = (construct: IConstruct) => {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
          reasons.push({ id, reason: String(reason), path: construct.node.path });
        }
      }
      for (const child of construct.node.children) visit(child);
    };
    visit(main.app);
    expect(reasons.length).toBeGreaterThan(0);
    for (const { reason } of reasons) {
      expect(reason.length).toBeGreaterThanOrEqual(60);
    }
    // A reason is written for its finding, not pasted across rules.
    const reasonsByRule = new Map<string, Set<string>>();
    for (const { id, reason } of reasons) {
      const rule = id.replace(/^Annotation::/i, '').replace(/\[.*$/, '');
      reasonsByRule.set(reason, (reasonsByRule.get(reason) ?? new Set()).add(rule));
    }
    for (const [reason, rules] of reasonsByRule) {
      if (rules.size > 1)
        expect([...rules].sort(), reason).toEqual(['AwsSolutions-APIG4', 'AwsSolutions-COG4']);
    }
  });
});

describe('extra entry points', () => {
  it(
    'bundles each one next to index.mjs as <basename>.mjs with the same options',
    async () => {
      const health = functionCatalog.find((definition) => definition.name === 'health');
      expect(health).toBeDefined();
      const withWorker = synthesize({}, [
        {
          ...(health as (typeof functionCatalog)[number]),
          extraEntryPoints: ['shared/platform/version.ts'],
        },
      ]);
      cleanup.push(withWorker.outdir);
      const fn = withWorker.stack.functions.get('health') as IConstruct;
      const dir = assetDirOf(withWorker, logicalId(withWorker.stack, fn));
      expect(readdirSync(dir).sort()).toEqual([
        'index.mjs',
        'index.mjs.map',
        'version.mjs',
        'version.mjs.map',
      ]);
      const worker = readFileSync(join(dir, 'version.mjs'), 'utf8');
      expect(worker.startsWith('import { createRequire as __createRequire }')).toBe(true);
      const loaded = (await import(join(dir, 'version.mjs'))) as Record<string, unknown>;
      expect(Object.values(loaded)).toContain(
        (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string })
          .version,
      );
      expect(existsSync(join(dir, 'version.mjs.map'))).toBe(true);
    },
    SYNTH_TIMEOUT_MS,
  );

  const healthWith = (extraEntryPoints: string[]) => () => healthStackWith({ extraEntryPoints });

  it('refuses an entry that is not a project .ts file', () => {
    expect(healthWith(['shared/no-such-worker.ts'])).toThrow(
      /extraEntryPoints .*no-such-worker\.ts/,
    );
  });

  it('refuses an entry whose bundle would overwrite another', () => {
    expect(
      healthWith([
        'shared/platform/version.ts',
        'shared/platform/services.ts',
        'shared/platform/redis/index.ts',
      ]),
    ).toThrow(/would overwrite index\.mjs/);
  });
});

describe('data folders', () => {
  it("ship pdf.js's standard fonts and CMaps, with their licences, in the ingest function only", () => {
    // Prepare
    const assets = new Map(
      [...main.stack.functions].map(([name, fn]) => [
        name,
        assetDirOf(main, logicalId(main.stack, fn)),
      ]),
    );
    const ingest = defined(assets.get('ingest'));

    // Act
    const shipped = {
      fonts: filesIn(join(ingest, 'pdfjs', 'standard_fonts')),
      cmaps: filesIn(join(ingest, 'pdfjs', 'cmaps')),
    };

    // Assess
    expect(shipped.fonts).toEqual(
      filesIn(join(projectRoot, 'node_modules', 'pdfjs-data', 'standard_fonts')),
    );
    expect(shipped.fonts).toEqual(
      expect.arrayContaining(['FoxitSerif.pfb', 'LiberationSans-Regular.ttf', 'LICENSE_FOXIT']),
    );
    expect(shipped.fonts).toContain('LICENSE_LIBERATION');
    expect(shipped.cmaps).toEqual(
      filesIn(join(projectRoot, 'node_modules', 'pdfjs-data', 'cmaps')),
    );
    expect(shipped.cmaps).toEqual(
      expect.arrayContaining(['UniJIS-UCS2-H.bcmap', 'Adobe-Japan1-UCS2.bcmap', 'LICENSE']),
    );
    for (const [name, dir] of assets) {
      if (name !== 'ingest') expect(existsSync(join(dir, 'pdfjs')), name).toBe(false);
    }
  });

  const healthWith = (dataFolders: DataFolder[]) => () => healthStackWith({ dataFolders });

  it.each([
    [
      'a missing folder',
      [{ from: 'node_modules/no-such-package/data', to: 'data' }],
      /not a project-relative folder/,
    ],
    ['a file', [{ from: 'package.json', to: 'data' }], /not a project-relative folder/],
    [
      'a copy outside the bundle',
      [{ from: 'test/fixtures', to: '../data' }],
      /not a free relative path/,
    ],
    [
      'a copy over the handler',
      [{ from: 'test/fixtures', to: 'index.mjs' }],
      /not a free relative path/,
    ],
    [
      'two copies in one place',
      [
        { from: 'test/fixtures', to: 'data' },
        { from: 'test/support', to: 'data/support' },
      ],
      /overlaps another data folder/,
    ],
  ])('refuses %s', (_case, folders, message) => {
    expect(healthWith(folders)).toThrow(message);
  });
});

describe('the Slack app', () => {
  const roleStatements = (name: string) => {
    const roleId = logicalId(main.stack, defined(main.stack.functions.get(name)).role);
    return JSON.stringify(
      Object.values(resourcesOf(main.template, 'AWS::IAM::Policy')).filter(
        (policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
      ),
    );
  };
  const queueId = () =>
    logicalId(main.stack, defined(main.stack.queues.get('slack-answers')).queue);

  it('lets the events function only send to the Slack queue, and the worker only consume it', () => {
    // Act
    const events = roleStatements('slack-events');
    const worker = roleStatements('slack-worker');

    // Assess
    expect(events).toContain('"sqs:SendMessage"');
    expect(events).toContain(queueId());
    expect(events).not.toMatch(/sqs:(ReceiveMessage|DeleteMessage)/);
    expect(worker).toMatch(/sqs:ReceiveMessage/);
    expect(worker).toMatch(/sqs:DeleteMessage/);
    expect(worker).not.toContain('sqs:SendMessage');
    for (const other of main.stack.functions.keys()) {
      if (other === 'slack-events' || other === 'slack-worker') continue;
      expect(roleStatements(other), other).not.toContain('sqs:');
    }
  });

  it('delivers one job per invocation, redelivered after six worker timeouts, three times at most', () => {
    // Assess
    main.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'agent-platform-test-slack-answers',
      VisibilityTimeout: 720,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
    main.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: {
        Ref: logicalId(main.stack, defined(main.stack.functions.get('slack-worker'))),
      },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('alarms on a dead-lettered job and on a job older than one retry', () => {
    // Assess
    main.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 720 + 180,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(), 'QueueName'] } }],
    });
    main.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      AlarmDescription: Match.stringLikeRegexp('slack-answers'),
    });
  });
});
