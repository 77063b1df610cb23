import type { MiddlewareObj } from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { z } from 'zod';
import type { Config } from '../config/index.ts';
import { logger } from '../logging/logger.ts';
import type { Services } from '../services.ts';
import { type BaseContext, baseStack } from './base-stack.ts';
import { deadlineOf } from './deadline.ts';
import { processQueueBatch, type QueueRecordContext } from './queue-batch.ts';

/** What a queue consumer is given with each message. */
export interface QueueMessageContext extends QueueRecordContext {
  services: Services;
  config: Config;
  requestId: string;
  /** Epoch milliseconds by which the batch must be done. */
  deadline: number;
}

export interface QueueStackOptions<S extends z.ZodType> {
  /** Names the queue in logs. */
  queue: string;
  /** The message body's shape; a body that does not match is logged and dropped. */
  schema: S;
  handle(message: z.output<S>, context: QueueMessageContext): Promise<void>;
  /** Messages handled at once; 1 (the default) keeps a batch in order. */
  concurrency?: number;
  /** A message is not started with less time than this left; it is returned to the queue. */
  minTimePerMessageMs?: number;
}

interface QueueContext extends BaseContext {
  startedAt: number;
}

const DEFAULT_MIN_TIME_PER_MESSAGE_MS = 2_000;

/**
 * The queue stack on the base stack, for SQS consumers: each message is validated and
 * handled on its own, failures are reported as partial batch failures (so only those come
 * back, and go to the dead-letter queue after the queue's receive count), and a message
 * that fails validation is logged (its id and the problems, never its body) and dropped,
 * since it would fail the same way on every delivery. Messages the deadline leaves no
 * time for are returned unstarted (middy's early timeout is off here: it would fail the
 * whole batch, finished messages included). A failure outside any message (the settings
 * cannot be read) fails the invocation, so the whole batch is delivered again; handlers
 * must be idempotent, as SQS delivers at least once anyway.
 */
export function queueStack<S extends z.ZodType>(options: QueueStackOptions<S>) {
  const minTime = options.minTimePerMessageMs ?? DEFAULT_MIN_TIME_PER_MESSAGE_MS;
  return baseStack<SQSEvent, SQSBatchResponse, QueueContext>({
    log: queueLog(options.queue),
    earlyTimeout: false,
  }).handler(async (event, context) => {
    const deadline = deadlineOf(context);
    return processQueueBatch(event.Records, {
      schema: options.schema,
      concurrency: options.concurrency,
      mayStart: () => Date.now() + minTime < deadline,
      handle: (message, record) =>
        options.handle(message, {
          ...record,
          services: context.services,
          config: context.config,
          requestId: context.requestId,
          deadline,
        }),
      report: (outcome) => {
        const fields = {
          requestId: context.requestId,
          queue: options.queue,
          messageId: outcome.messageId,
        };
        if (outcome.kind === 'dropped') {
          logger.warn('queue message dropped: it does not match its schema', {
            ...fields,
            issues: outcome.issues,
          });
        } else if (outcome.kind === 'deferred') {
          logger.warn('queue message returned unstarted: the deadline is near', fields);
        } else {
          logger.error('queue message failed; it will be delivered again', {
            ...fields,
            receiveCount: outcome.receiveCount,
            error: outcome.error as Error,
          });
        }
      },
    });
  });
}

/** The request id and one log line per batch: records, failures, duration. */
function queueLog(queue: string): MiddlewareObj<SQSEvent, SQSBatchResponse, Error, QueueContext> {
  const write = (request: {
    event: SQSEvent;
    context: QueueContext;
    response: SQSBatchResponse | null | undefined;
    error: Error | null | undefined;
  }) => {
    const fields = {
      requestId: request.context.requestId,
      queue,
      records: request.event.Records.length,
      failed: request.error
        ? request.event.Records.length
        : (request.response?.batchItemFailures.length ?? 0),
      durationMs: Math.round((performance.now() - request.context.startedAt) * 100) / 100,
    };
    if (request.error) logger.error('queue batch failed', { ...fields, error: request.error });
    else logger.info('queue batch', fields);
  };
  return {
    before: (request) => {
      request.context.requestId = request.context.awsRequestId ?? 'unknown';
      request.context.startedAt = performance.now();
    },
    after: (request) => write(request),
    onError: (request) => write(request),
  };
}
