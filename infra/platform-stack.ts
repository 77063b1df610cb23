import { CfnOutput, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type FunctionDefinition, functionCatalog } from '../functions/catalog.ts';
import { PlatformAlarms } from './constructs/platform-alarms.ts';
import { PlatformApi } from './constructs/platform-api.ts';
import { PlatformFunction } from './constructs/platform-function.ts';
import type { DeploymentSettings } from './context.ts';
import { suppressReviewedFindings } from './nag-suppressions.ts';

export interface PlatformStackProps extends StackProps {
  settings: DeploymentSettings;
  projectRoot: string;
  /** The functions to deploy; the catalog in `functions/catalog.ts` unless a test passes its own. */
  catalog?: FunctionDefinition[];
}

/** The whole platform: settings secret, one Lambda per catalog entry, the REST API, alarms. */
export class PlatformStack extends Stack {
  readonly settingsSecret: ISecret;
  readonly api: PlatformApi;
  readonly alarms: PlatformAlarms;
  /** Every deployed function by its catalog name. */
  readonly functions = new Map<string, PlatformFunction>();

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.settingsSecret = settings.settingsSecretName
      ? Secret.fromSecretNameV2(this, 'Settings', settings.settingsSecretName)
      : new Secret(this, 'Settings', {
          description: `Agent platform ${settings.stage} settings as one JSON object; see the README to fill it in.`,
          // An empty JSON object, not a generated password: the functions parse the secret
          // as JSON and start with defaults (offline mode) until real values are put in.
          secretStringValue: SecretValue.unsafePlainText('{}'),
        });

    this.api = new PlatformApi(this, 'Http', settings);
    this.alarms = new PlatformAlarms(this, 'Alarms', settings);
    this.alarms.watchApi(this.api.restApi);

    for (const definition of props.catalog ?? functionCatalog) {
      const fn = new PlatformFunction(this, pascalCase(definition.name), {
        definition,
        settingsSecret: this.settingsSecret,
        logRetention: settings.logRetention,
        projectRoot: props.projectRoot,
      });
      this.functions.set(definition.name, fn);
      this.api.route(fn);
      this.alarms.watchFunction(fn);
    }

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the API, ending in the stage name and a slash',
      value: this.api.restApi.url,
    });
    new CfnOutput(this, 'SettingsSecretName', {
      description: 'Secrets Manager secret that holds the settings JSON',
      value: this.settingsSecret.secretName,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'SNS topic the alarms notify; subscribe to it',
      value: this.alarms.topic.topicArn,
    });

    suppressReviewedFindings(this);
  }
}

function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
}
