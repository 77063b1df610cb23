import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** What starts a queue consumer locally, as SQS's event source mapping would. */
export type QueueConsumer = (
  event: SQSEvent,
) => Promise<SQSBatchResponse | undefined> | Promise<void>;

export interface LocalQueueOptions {
  name: string;
  /** Receives after which a message that keeps failing goes to the dead-letter list. */
  maxReceiveCount: number;
  /** How long a received message stays hidden before it is delivered again. */
  visibilityTimeoutMs: number;
  /** Most records per invocation. */
  batchSize?: number;
}

interface StoredMessage {
  id: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt: number | undefined;
  visibleAt: number;
}

/** A message moved aside after `maxReceiveCount` failed receives. */
export interface DeadLetter {
  id: string;
  body: string;
  receiveCount: number;
}

/**
 * An in-process stand-in for an SQS queue with a dead-letter queue and Lambda's event
 * source mapping: at-least-once delivery in batches, a message a batch reports as failed
 * (or every message of a batch whose invocation threw) comes back after the visibility
 * timeout, and one received `maxReceiveCount` times without success is dead-lettered.
 * `npm run dev` runs each queue function of the catalog on one of these.
 */
export class LocalQueue {
  readonly name: string;
  readonly deadLetters: DeadLetter[] = [];
  readonly #options: Required<LocalQueueOptions>;
  readonly #messages: StoredMessage[] = [];
  #consumer: QueueConsumer | undefined;
  #timer: NodeJS.Timeout | undefined;
  #draining: Promise<void> | undefined;
  #idleWaiters: (() => void)[] = [];

  constructor(options: LocalQueueOptions) {
    this.name = options.name;
    this.#options = { batchSize: 10, ...options };
  }

  /** Messages waiting or in flight (not yet deleted or dead-lettered). */
  get depth(): number {
    return this.#messages.length;
  }

  /** Enqueues a message body (a string, as SQS takes); returns its message id. */
  send(body: string): string {
    const id = randomUUID();
    const now = Date.now();
    this.#messages.push({
      id,
      body,
      sentAt: now,
      receiveCount: 0,
      firstReceivedAt: undefined,
      visibleAt: now,
    });
    this.#schedule(0);
    return id;
  }

  /** Starts delivering to `consumer`; messages sent before this are delivered too. */
  consume(consumer: QueueConsumer): void {
    this.#consumer = consumer;
    this.#schedule(0);
  }

  /** Resolves once no message is waiting or in flight (delivered, or dead-lettered). */
  idle(): Promise<void> {
    if (this.#messages.length === 0 && !this.#draining) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops delivering; messages stay queued. */
  stop(): void {
    this.#consumer = undefined;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(delayMs: number): void {
    if (!this.#consumer || this.#draining) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#draining = this.#deliver().finally(() => {
        this.#draining = undefined;
        this.#afterDelivery();
      });
    }, delayMs);
  }

  #afterDelivery(): void {
    if (this.#messages.length === 0) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
      return;
    }
    const nextVisible = Math.min(...this.#messages.map((message) => message.visibleAt));
    this.#schedule(Math.max(0, nextVisible - Date.now()));
  }

  /** Delivers every visible message, one batch after another, like one poller. */
  async #deliver(): Promise<void> {
    for (;;) {
      const consumer = this.#consumer;
      if (!consumer) return;
      const now = Date.now();
      const batch = this.#messages
        .filter((message) => message.visibleAt <= now)
        .slice(0, this.#options.batchSize);
      if (batch.length === 0) return;
      for (const message of batch) {
        message.receiveCount += 1;
        message.firstReceivedAt ??= now;
        message.visibleAt = now + this.#options.visibilityTimeoutMs;
      }
      const failed = await this.#invoke(consumer, batch);
      for (const message of batch) {
        if (!failed.has(message.id)) this.#remove(message);
        else if (message.receiveCount >= this.#options.maxReceiveCount) {
          this.#remove(message);
          this.deadLetters.push({
            id: message.id,
            body: message.body,
            receiveCount: message.receiveCount,
          });
        }
      }
    }
  }

  /** The ids of the batch's messages that were not processed. */
  async #invoke(consumer: QueueConsumer, batch: StoredMessage[]): Promise<Set<string>> {
    try {
      const response = await consumer({ Records: batch.map((message) => this.#record(message)) });
      return new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      // As on Lambda: an invocation that throws fails its whole batch.
      console.error(`local queue ${this.name}: the consumer failed`, error);
      return new Set(batch.map((message) => message.id));
    }
  }

  #remove(message: StoredMessage): void {
    const index = this.#messages.indexOf(message);
    if (index >= 0) this.#messages.splice(index, 1);
  }

  #record(message: StoredMessage): SQSRecord {
    return {
      messageId: message.id,
      receiptHandle: `${message.id}:${message.receiveCount}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.name}`,
      awsRegion: 'local',
    };
  }
}
