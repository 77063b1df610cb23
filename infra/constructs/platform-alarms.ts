import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { pascalCase } from '../naming.ts';
import type { PlatformFunction } from './platform-function.ts';

export interface PlatformAlarmsProps {
  stage: string;
  /** Subscribed to the topic when given; otherwise subscribe whatever you like after deploy. */
  alarmEmail: string | undefined;
}

const FIVE_MINUTES = Duration.minutes(5);

/** CloudWatch alarms of the platform, all notifying one encrypted SNS topic. */
export class PlatformAlarms extends Construct {
  readonly topic: Topic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: PlatformAlarmsProps) {
    super(scope, id);
    // A customer managed key: CloudWatch may only publish to an encrypted topic if the
    // key policy lets it use the key, and the AWS managed SNS key's policy cannot.
    const key = new Key(this, 'TopicKey', {
      description: `Encrypts the agent platform ${props.stage} alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: `Agent platform ${props.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.topic);
  }

  /** Any 5xx the API answers: from a function, or API Gateway's own integration failures. */
  watchApi(api: RestApi): void {
    this.alarm('Api5xx', api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }), {
      threshold: 5,
      description: 'The API answered 5 or more 5xx responses within 5 minutes.',
    });
  }

  /**
   * Unhandled errors (crashes, timeouts, failed cold starts: the middleware turns every
   * expected error into a response, so these are never routine) and throttles.
   */
  watchFunction(fn: PlatformFunction): void {
    const name = fn.definition.name;
    this.alarm(`${fn.node.id}Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), {
      threshold: 1,
      description: `The ${name} function failed with an unhandled error or a timeout.`,
    });
    this.alarm(
      `${fn.node.id}Throttles`,
      fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
      {
        threshold: 1,
        description: `The ${name} function was throttled: account concurrency is exhausted.`,
      },
    );
  }

  /**
   * A message in a dead-letter queue: it failed every delivery and no one will answer it
   * unless an operator looks (and redrives it once the cause is fixed). And a message
   * older than one visibility timeout and 3 minutes: past a first retry, so the consumer
   * is failing or has stopped (for Slack, people are waiting for their answers).
   */
  watchQueue(name: string, queue: IQueue, deadLetters: IQueue, visibilityTimeout: Duration): void {
    this.alarm(
      `${pascalCase(name)}OldestMessage`,
      queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      {
        threshold: visibilityTimeout.plus(Duration.minutes(3)).toSeconds(),
        description: `The oldest message of the ${name} queue has waited longer than a retry takes: its consumer is failing or stopped.`,
      },
    );
    this.alarm(
      `${pascalCase(name)}DeadLetters`,
      deadLetters.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: 'Maximum',
      }),
      {
        threshold: 1,
        description: `A message of the ${name} queue failed every delivery and is in its dead-letter queue.`,
      },
    );
  }

  private alarm(id: string, metric: IMetric, options: { threshold: number; description: string }) {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: options.threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
  }
}
