import { hashReply, type Redis, redisCall } from '../../platform/redis/index.ts';
import { tenantKeys } from '../../platform/tenancy/index.ts';

/**
 * What the worker did for one event, kept a week (past any redelivery or DLQ redrive):
 * `posting` once a message is in the thread (its `ts`), `done` when the answer is whole,
 * `apologized` after the last try failed, `limited` when the rate limit answered.
 */
export interface AnswerRecord {
  state: 'posting' | 'done' | 'apologized' | 'limited';
  /** The answer's first message, once posted: a redelivery edits it instead of posting. */
  ts: string | undefined;
  /** Extra messages of a long answer already posted after the first. */
  extraParts: number;
}

const KEEP_SECONDS = 7 * 24 * 60 * 60;
const RECORD_WRITE_ATTEMPTS = 4;

/**
 * The answer record of one event, written as soon as something is posted, so a worker
 * that crashes after posting leaves what its redelivery needs to answer once.
 */
export function answerRecord(redis: Redis, tenant: string, eventId: string) {
  const key = tenantKeys(tenant).slackAnswer(eventId);
  // Retried before giving up: a post Slack has taken but no record of it would be posted
  // again by the redelivery, a second answer in the thread.
  const write = async (fields: Record<string, string | number>) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const pipeline = redis.pipeline().hset(key, fields).expire(key, KEEP_SECONDS);
        await redisCall(() => pipeline.exec());
        return;
      } catch (error) {
        if (attempt >= RECORD_WRITE_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  };
  return {
    async read(): Promise<AnswerRecord | undefined> {
      const stored = hashReply(await redisCall(() => redis.hgetall(key))) ?? {};
      if (!stored.state) return undefined;
      return {
        state: stored.state as AnswerRecord['state'],
        ts: stored.ts || undefined,
        extraParts: Number(stored.extraParts ?? 0) || 0,
      };
    },
    posted: (ts: string) => write({ state: 'posting', ts }),
    extraPartPosted: (count: number) => write({ extraParts: count }),
    done: (ts: string) => write({ state: 'done', ts }),
    apologized: () => write({ state: 'apologized' }),
    limited: () => write({ state: 'limited' }),
  };
}

const LOCK_MARGIN_MS = 5_000;

/**
 * Holds the event for one worker while it answers (SQS may deliver a message twice at
 * once): `SET NX PX` for the function's time left, so a crashed holder's lock lapses
 * before SQS's visibility timeout brings the message back. False: someone holds it.
 */
export async function lockAnswer(
  redis: Redis,
  tenant: string,
  eventId: string,
  deadline: number,
): Promise<{ held: boolean; release(): Promise<void> }> {
  const key = tenantKeys(tenant).slackAnswerLock(eventId);
  const ms = Math.max(1_000, deadline - Date.now() + LOCK_MARGIN_MS);
  const reply = await redisCall(() => redis.set(key, '1', { nx: true, px: ms }));
  return {
    held: reply === 'OK',
    release: async () => {
      await redisCall(() => redis.del(key)).catch(() => undefined);
    },
  };
}
