import type { SQSBatchItemFailure, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';

/** What a queue consumer is told about the record it handles. */
export interface QueueRecordContext {
  messageId: string;
  /** How many times SQS has delivered this message, this time included. */
  receiveCount: number;
}

export interface QueueBatchOptions<S extends z.ZodType> {
  /** The message body's shape; a body that does not parse is dropped, not retried. */
  schema: S;
  handle(message: z.output<S>, record: QueueRecordContext): Promise<void>;
  /** Records handled at once; 1 keeps a batch's records in order. */
  concurrency?: number | undefined;
  /** Asked before each record; false returns it unstarted (the deadline is near). */
  mayStart?: () => boolean;
  /** Told about each record that was dropped or failed; never given the body. */
  report?(outcome: QueueRecordOutcome): void;
}

export type QueueRecordOutcome =
  | { kind: 'dropped'; messageId: string; issues: string[] }
  | { kind: 'deferred'; messageId: string }
  | { kind: 'failed'; messageId: string; receiveCount: number; error: unknown };

/**
 * Handles an SQS batch record by record and reports the records that failed as partial
 * batch failures, so only those come back (and reach the dead-letter queue after the
 * queue's receive count) while the others are deleted. A record whose body is not JSON
 * or does not match the schema would fail the same way on every delivery: it is reported
 * as dropped and acknowledged, not retried.
 */
export async function processQueueBatch<S extends z.ZodType>(
  records: readonly SQSRecord[],
  options: QueueBatchOptions<S>,
): Promise<SQSBatchResponse> {
  const failures: SQSBatchItemFailure[] = [];
  const concurrency = Math.max(1, options.concurrency ?? 1);
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const record = records[next++] as SQSRecord;
      const failed = await handleRecord(record, options);
      if (failed) failures.push({ itemIdentifier: record.messageId });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, records.length) }, worker));
  // Reported in record order, whatever order concurrent handlers finished in.
  const order = new Map(records.map((record, index) => [record.messageId, index]));
  failures.sort((a, b) => (order.get(a.itemIdentifier) ?? 0) - (order.get(b.itemIdentifier) ?? 0));
  return { batchItemFailures: failures };
}

/** Handles one record; true when it failed and must be delivered again. */
async function handleRecord<S extends z.ZodType>(
  record: SQSRecord,
  options: QueueBatchOptions<S>,
): Promise<boolean> {
  if (options.mayStart && !options.mayStart()) {
    options.report?.({ kind: 'deferred', messageId: record.messageId });
    return true;
  }
  const parsed = parseBody(record.body, options.schema);
  if (!parsed.ok) {
    options.report?.({ kind: 'dropped', messageId: record.messageId, issues: parsed.issues });
    return false;
  }
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
  try {
    await options.handle(parsed.value, { messageId: record.messageId, receiveCount });
    return false;
  } catch (error) {
    options.report?.({ kind: 'failed', messageId: record.messageId, receiveCount, error });
    return true;
  }
}

function parseBody<S extends z.ZodType>(
  body: string,
  schema: S,
): { ok: true; value: z.output<S> } | { ok: false; issues: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, issues: ['body is not JSON'] };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    ),
  };
}
