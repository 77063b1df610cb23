import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  processQueueBatch,
  type QueueRecordOutcome,
} from '#shared/platform/handlers/queue-batch.ts';

function record(messageId: string, body: string, receiveCount = 1): SQSRecord {
  return {
    messageId,
    receiptHandle: messageId,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:test',
    awsRegion: 'local',
  };
}

const schema = z.strictObject({ n: z.int() });

describe('processQueueBatch', () => {
  it('reports only the records whose handling failed, in record order', async () => {
    // Prepare
    const handled: number[] = [];
    const records = [record('a', '{"n":1}'), record('b', '{"n":2}'), record('c', '{"n":3}', 2)];

    // Act
    const response = await processQueueBatch(records, {
      schema,
      concurrency: 3,
      handle: async ({ n }, { receiveCount }) => {
        if (n === 2) throw new Error('downstream down');
        handled.push(n * 10 + receiveCount);
      },
    });

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
    expect(handled.sort()).toEqual([11, 32]);
  });

  it('drops a record that is not JSON or not the schema, without retrying it or echoing it', async () => {
    // Prepare
    const outcomes: QueueRecordOutcome[] = [];
    let calls = 0;

    // Act
    const response = await processQueueBatch(
      [record('x', 'not json secret-body'), record('y', '{"n":"secret-value"}')],
      {
        schema,
        handle: async () => {
          calls += 1;
        },
        report: (outcome) => outcomes.push(outcome),
      },
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(calls).toBe(0);
    expect(outcomes.map((outcome) => [outcome.kind, outcome.messageId])).toEqual([
      ['dropped', 'x'],
      ['dropped', 'y'],
    ]);
    expect(JSON.stringify(outcomes)).not.toContain('secret');
  });

  it('handles one record at a time by default, so a batch keeps its order', async () => {
    // Prepare
    const order: string[] = [];

    // Act
    await processQueueBatch(
      [record('a', '{"n":30}'), record('b', '{"n":0}'), record('c', '{"n":10}')],
      {
        schema,
        handle: async ({ n }, { messageId }) => {
          await new Promise((resolve) => setTimeout(resolve, n));
          order.push(messageId);
        },
      },
    );

    // Assess
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('returns the records it may no longer start as failures, unstarted, and keeps the finished ones', async () => {
    // Prepare: time for one record only.
    let starts = 0;
    const handled: string[] = [];

    // Act
    const response = await processQueueBatch(
      [record('a', '{"n":1}'), record('b', '{"n":2}'), record('c', '{"n":3}')],
      {
        schema,
        mayStart: () => starts++ < 1,
        handle: async (_message, { messageId }) => {
          handled.push(messageId);
        },
      },
    );

    // Assess
    expect(handled).toEqual(['a']);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'b' }, { itemIdentifier: 'c' }]);
  });
});
