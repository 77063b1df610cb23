import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueTrigger } from '../../functions/function-definition.ts';
import { queueUrlVariable } from '../../shared/platform/queues/queue-url.ts';
import type { PlatformFunction } from './platform-function.ts';

/**
 * AWS's guidance for Lambda consumers: the visibility timeout at least six times the
 * function's timeout, so a message is not delivered again while a retried invocation may
 * still be working on it.
 */
const VISIBILITY_PER_FUNCTION_TIMEOUT = 6;

export interface PlatformQueueProps {
  stage: string;
  /** The consumer; its catalog entry's trigger describes the queue. */
  consumer: PlatformFunction;
  trigger: QueueTrigger;
}

/**
 * The queue a catalog function consumes, with its dead-letter queue and the event source
 * mapping: encrypted at rest (SQS-managed keys) and in transit (TLS enforced), the
 * visibility timeout derived from the consumer's timeout, partial batch failures on, and
 * a message that failed `maxReceiveCount` times moved to the dead-letter queue, which
 * keeps it for 14 days.
 */
export class PlatformQueue extends Construct {
  /** The queue's name in the catalog. */
  readonly name: string;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** How long a received message stays hidden: six times the consumer's timeout. */
  readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: PlatformQueueProps) {
    super(scope, id);
    const { consumer, trigger } = props;
    this.name = trigger.queue;
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      queueName: `agent-platform-${props.stage}-${trigger.queue}-dlq`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.visibilityTimeout = Duration.seconds(
      consumer.definition.timeoutSeconds * VISIBILITY_PER_FUNCTION_TIMEOUT,
    );
    this.queue = new Queue(this, 'Queue', {
      queueName: `agent-platform-${props.stage}-${trigger.queue}`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: this.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: trigger.maxReceiveCount },
    });
    consumer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: trigger.batchSize,
        reportBatchItemFailures: true,
        // At most what the consumer may run at once: a poller whose invocation is
        // throttled still counts a receive, so more pollers than the reservation would
        // send messages to the dead-letter queue without ever running them.
        ...(consumer.reservedConcurrency === undefined
          ? {}
          : { maxConcurrency: Math.max(2, consumer.reservedConcurrency) }),
      }),
    );
  }

  /**
   * Lets `producer` send to the queue: `sqs:SendMessage` on this queue only, and its URL in
   * the producer's environment as `QUEUE_URL_<NAME>` (see `queueUrlVariable`).
   */
  allowSending(producer: PlatformFunction): void {
    // SendMessage only: grantSendMessages would also allow GetQueueAttributes and GetQueueUrl.
    producer.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    producer.addEnvironment(queueUrlVariable(this.name), this.queue.queueUrl);
  }
}
