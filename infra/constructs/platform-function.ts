import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { entryOf, type FunctionDefinition } from '../../functions/function-definition.ts';
import {
  type SettingsSecret,
  secretArnVariable,
} from '../../shared/platform/config/secret-groups.ts';
import { dataFolderProblem } from '../bundling/data-folders.ts';
import { bundleFileName, lambdaBundle } from '../bundling/esbuild-options.ts';

export interface PlatformFunctionProps {
  definition: FunctionDefinition;
  /** The stage's settings secrets; the function reads `settings` and its catalog groups. */
  secrets: ReadonlyMap<SettingsSecret, ISecret>;
  logRetention: RetentionDays;
  projectRoot: string;
  /** Factor on the catalog's `reservedConcurrency`; undefined reserves none. */
  reservedConcurrencyScale: number | undefined;
}

/**
 * One Lambda function of the platform with its defaults: Node.js 22 on arm64, an ESM
 * bundle built locally by esbuild (minified, tree-shaken, source maps), X-Ray tracing,
 * its own log group with retention, reserved concurrency from the catalog, and a role
 * that may write to that log group and read the `settings` secret and the secret groups
 * its catalog entry names, whose ARNs are its only configuration. Anything more a
 * function needs is granted on `role` by the stack, next to the resource it concerns.
 */
export class PlatformFunction extends NodejsFunction {
  readonly definition: FunctionDefinition;
  /** Concurrent executions reserved for it, after context scaling; undefined: none. */
  readonly reservedConcurrency: number | undefined;
  declare readonly role: IRole;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    const { definition, projectRoot } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: that managed policy may create
    // and write any log group in the account; this one writes only to the function's own.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${definition.name} function`,
    });
    const reserved = props.reservedConcurrencyScale
      ? Math.max(1, Math.ceil(definition.reservedConcurrency * props.reservedConcurrencyScale))
      : undefined;
    super(scope, id, {
      description: definition.description,
      entry: join(projectRoot, entryOf(definition)),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: definition.memoryMb,
      timeout: Duration.seconds(definition.timeoutSeconds),
      ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      environment: { NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        format: OutputFormat.ESM,
        target: lambdaBundle.target,
        minify: lambdaBundle.minify,
        sourceMap: lambdaBundle.sourcemap,
        sourcesContent: lambdaBundle.sourcesContent,
        mainFields: [...lambdaBundle.mainFields],
        banner: lambdaBundle.banner,
        externalModules: [...lambdaBundle.external],
        forceDockerBundling: false,
        ...(definition.extraEntryPoints?.length || definition.dataFolders?.length
          ? { commandHooks: afterBundlingHooks(scope, projectRoot, definition) }
          : {}),
      },
    });
    this.definition = definition;
    this.reservedConcurrency = reserved;
    logGroup.grantWrite(role);
    for (const secret of ['settings', ...definition.secretGroups] as const) {
      const from = props.secrets.get(secret);
      if (!from) throw new Error(`${this.node.path}: the stack has no ${secret} secret`);
      this.readSettings(secret, from);
    }
  }

  /**
   * Lets the function read one settings secret: its ARN in the environment variable the
   * config middleware looks for, and GetSecretValue on it (not grantRead, which would
   * also allow DescribeSecret, which the middleware never calls).
   */
  readSettings(secret: SettingsSecret, from: ISecret): void {
    this.addEnvironment(secretArnVariable(secret), from.secretArn);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [from.secretArn],
      }),
    );
  }
}

/**
 * Bundles each extra entry into the output directory with the project's own esbuild, then
 * copies the data folders there.
 */
function afterBundlingHooks(
  scope: Construct,
  projectRoot: string,
  { extraEntryPoints: entries = [], dataFolders = [] }: FunctionDefinition,
): ICommandHooks {
  const names = new Set(['index.mjs']);
  for (const entry of entries) {
    if (!/\.m?ts$/.test(entry) || !existsSync(join(projectRoot, entry))) {
      throw new Error(
        `${scope.node.path}: extraEntryPoints must be existing project-relative .ts files, got "${entry}"`,
      );
    }
    const name = bundleFileName(entry);
    if (names.has(name)) {
      throw new Error(`${scope.node.path}: extra entry "${entry}" would overwrite ${name}`);
    }
    names.add(name);
  }
  const bundled = new Set([...names].flatMap((name) => [name, `${name}.map`]));
  const problem = dataFolderProblem(projectRoot, dataFolders, bundled);
  if (problem) throw new Error(`${scope.node.path}: dataFolders: ${problem}`);
  const node = (script: string, ...args: string[]) =>
    [process.execPath, join(projectRoot, 'infra', 'bundling', script), ...args]
      .map(shellQuote)
      .join(' ');
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [
      ...entries.map((entry) => node('bundle-entry.ts', join(inputDir, entry), outputDir)),
      ...dataFolders.map(({ from, to }) =>
        node('copy-data-folder.ts', join(inputDir, from), join(outputDir, to)),
      ),
    ],
  };
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}
