import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalQueue } from '#local/local-queue.ts';

describe('LocalQueue', () => {
  it('delivers in batches and deletes what the consumer handled', async () => {
    // Prepare
    const queue = new LocalQueue({
      name: 'q',
      maxReceiveCount: 3,
      visibilityTimeoutMs: 10,
      batchSize: 2,
    });
    const batches: string[][] = [];
    for (const body of ['1', '2', '3']) queue.send(body);

    // Act
    queue.consume(async (event: SQSEvent) => {
      batches.push(event.Records.map((record) => record.body));
    });
    await queue.idle();

    // Assess
    expect(batches).toEqual([['1', '2'], ['3']]);
    expect(queue.depth).toBe(0);
    expect(queue.deadLetters).toEqual([]);
  });

  it('redelivers a reported failure after the visibility timeout, then dead-letters it after maxReceiveCount', async () => {
    // Prepare
    const queue = new LocalQueue({ name: 'q', maxReceiveCount: 3, visibilityTimeoutMs: 20 });
    const receives: Record<string, string[]> = {};
    const ids = ['ok-1', 'bad', 'ok-2'].map((body) => queue.send(body));

    // Act
    queue.consume(async (event) => {
      for (const record of event.Records) {
        receives[record.body] = [
          ...(receives[record.body] ?? []),
          record.attributes.ApproximateReceiveCount,
        ];
      }
      return {
        batchItemFailures: event.Records.filter((record) => record.body === 'bad').map(
          (record) => ({
            itemIdentifier: record.messageId,
          }),
        ),
      };
    });
    await queue.idle();

    // Assess
    expect(receives).toEqual({ 'ok-1': ['1'], bad: ['1', '2', '3'], 'ok-2': ['1'] });
    expect(queue.deadLetters).toEqual([{ id: ids[1], body: 'bad', receiveCount: 3 }]);
  });

  it('redelivers the whole batch when the consumer throws', async () => {
    // Prepare
    const queue = new LocalQueue({ name: 'q', maxReceiveCount: 5, visibilityTimeoutMs: 5 });
    let calls = 0;
    queue.send('a');
    queue.send('b');

    // Act
    queue.consume(async () => {
      calls += 1;
      if (calls === 1) throw new Error('crashed');
    });
    await queue.idle();

    // Assess
    expect(calls).toBe(2);
    expect(queue.deadLetters).toEqual([]);
  });
});
