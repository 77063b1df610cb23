import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { LambdaIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { functionCatalog } from '../functions/catalog.ts';
import { PlatformFunction } from './constructs/platform-function.ts';

export interface PlatformStackProps extends StackProps {
  stage: string;
  projectRoot: string;
  /** Name of an existing settings secret to use instead of creating one. */
  existingSecretName?: string;
}

/** The whole platform: settings secret, one Lambda per function folder, the REST API. */
export class PlatformStack extends Stack {
  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);

    const settingsSecret: ISecret = props.existingSecretName
      ? Secret.fromSecretNameV2(this, 'Settings', props.existingSecretName)
      : new Secret(this, 'Settings', {
          description: `Agent platform ${props.stage} settings (JSON). Fill in after deploy; see README.`,
        });

    const api = new RestApi(this, 'Api', {
      restApiName: `agent-platform-${props.stage}`,
      deployOptions: { stageName: props.stage },
    });

    for (const definition of functionCatalog) {
      const fn = new PlatformFunction(this, pascalCase(definition.name), {
        definition,
        settingsSecret,
        logRetention: RetentionDays.ONE_MONTH,
        projectRoot: props.projectRoot,
      });
      const integration = new LambdaIntegration(fn);
      for (const route of definition.routes) {
        api.root.resourceForPath(route.path).addMethod(route.method, integration);
      }
    }

    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'SettingsSecretName', { value: settingsSecret.secretName });
  }
}

function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}
