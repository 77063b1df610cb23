import { Duration } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { FunctionDefinition } from '../../functions/catalog.ts';

export interface PlatformFunctionProps {
  definition: FunctionDefinition;
  settingsSecret: ISecret;
  logRetention: RetentionDays;
  projectRoot: string;
}

/**
 * One Lambda function of the platform with its defaults: Node.js 22 on arm64, an ESM
 * bundle built locally by esbuild (minified, tree-shaken, source maps), its own log group,
 * and read access to the settings secret whose ARN is its only configuration.
 */
export class PlatformFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    const { definition } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: props.logRetention });
    super(scope, id, {
      description: definition.description,
      entry: `${props.projectRoot}/functions/${definition.name}/handler.ts`,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: definition.memoryMb,
      timeout: Duration.seconds(definition.timeoutSeconds),
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        CONFIG_SECRET_ARN: props.settingsSecret.secretArn,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        // Some dependencies are CommonJS and call require(); ESM bundles need it defined.
        banner:
          "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        forceDockerBundling: false,
      },
    });
    props.settingsSecret.grantRead(this);
  }
}
