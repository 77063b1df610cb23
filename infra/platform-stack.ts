import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { functionCatalog } from '../functions/catalog.ts';
import type { FunctionDefinition } from '../functions/function-definition.ts';
import { PlatformAlarms } from './constructs/platform-alarms.ts';
import { PlatformApi } from './constructs/platform-api.ts';
import { PlatformFunction } from './constructs/platform-function.ts';
import { PlatformQueue } from './constructs/platform-queue.ts';
import { PlatformSecrets } from './constructs/platform-secrets.ts';
import { PlatformWaf } from './constructs/platform-waf.ts';
import type { DeploymentSettings } from './context.ts';
import { suppressReviewedFindings } from './nag-suppressions.ts';
import { pascalCase } from './naming.ts';

export interface PlatformStackProps extends StackProps {
  settings: DeploymentSettings;
  projectRoot: string;
  /** The functions to deploy; the catalog in `functions/catalog.ts` unless a test passes its own. */
  catalog?: FunctionDefinition[];
}

/**
 * The whole platform: the settings secrets, one Lambda per catalog entry, the REST API with
 * its WAF web ACL, alarms.
 */
export class PlatformStack extends Stack {
  readonly secrets: PlatformSecrets;
  readonly api: PlatformApi;
  /** Absent when context turns WAF off (`-c waf=false`). */
  readonly waf: PlatformWaf | undefined;
  readonly alarms: PlatformAlarms;
  /** Every deployed function by its catalog name. */
  readonly functions = new Map<string, PlatformFunction>();
  /** Every queue a catalog function consumes, by its queue name. */
  readonly queues = new Map<string, PlatformQueue>();

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.secrets = new PlatformSecrets(this, 'Secrets', { stage: settings.stage });

    this.api = new PlatformApi(this, 'Http', settings);
    this.waf =
      settings.wafRateLimit === undefined
        ? undefined
        : new PlatformWaf(this, 'Waf', {
            stage: this.api.restApi.deploymentStage,
            stageName: settings.stage,
            rateLimit: settings.wafRateLimit,
          });
    this.alarms = new PlatformAlarms(this, 'Alarms', settings);
    this.alarms.watchApi(this.api.restApi);

    const catalog = props.catalog ?? functionCatalog;
    for (const definition of catalog) {
      const fn = new PlatformFunction(this, pascalCase(definition.name), {
        definition,
        secrets: this.secrets.secrets,
        logRetention: settings.logRetention,
        projectRoot: props.projectRoot,
        reservedConcurrencyScale: settings.reservedConcurrencyScale,
      });
      this.functions.set(definition.name, fn);
      const { trigger } = definition;
      if (trigger.kind === 'routes') this.api.route(fn, trigger);
      else {
        const queue = new PlatformQueue(this, `${pascalCase(trigger.queue)}Queue`, {
          stage: settings.stage,
          consumer: fn,
          trigger,
        });
        this.queues.set(trigger.queue, queue);
        this.alarms.watchQueue(
          trigger.queue,
          queue.queue,
          queue.deadLetterQueue,
          queue.visibilityTimeout,
        );
      }
      this.alarms.watchFunction(fn);
    }
    // Producers after consumers: a function may send to a queue declared later in the list.
    for (const definition of catalog) {
      for (const name of definition.sendsTo ?? []) {
        const queue = this.queues.get(name);
        if (!queue) {
          throw new Error(
            `${definition.name} sends to "${name}", which no catalog function consumes`,
          );
        }
        queue.allowSending(this.functions.get(definition.name) as PlatformFunction);
      }
    }

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the API, ending in the stage name and a slash',
      value: this.api.restApi.url,
    });
    for (const [name, secret] of this.secrets.secrets) {
      // `npm run settings:put` derives these names from the stage; printed for the console.
      new CfnOutput(this, `${pascalCase(name)}SecretName`, {
        description: `Secrets Manager secret holding the ${name} settings (npm run settings:put writes it)`,
        value: secret.secretName,
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'SNS topic the alarms notify; subscribe to it',
      value: this.alarms.topic.topicArn,
    });

    suppressReviewedFindings(this);
  }
}
