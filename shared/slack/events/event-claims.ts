import { type Redis, redisCall } from '../../platform/redis/index.ts';
import { tenantKeys } from '../../platform/tenancy/index.ts';

/**
 * How long a claim stays `pending` before a retry may take the event again: longer than
 * the events function runs (10 s), shorter than Slack's first retry (about a minute), so a
 * delivery that died between claiming and enqueueing does not lose the event.
 */
const PENDING_SECONDS = 30;
/** Slack retries for about an hour and a half; a day is well past any retry. */
const QUEUED_SECONDS = 24 * 60 * 60;

/** What an earlier delivery left: nothing, one still on its way to the queue, or a queued one. */
export type ClaimOutcome = 'claimed' | 'pending' | 'queued';

type Pipeline = ReturnType<Redis['pipeline']>;

/**
 * Claims an event inside the caller's pipeline (the one that reads the channel's
 * settings, so a taken event costs no round trip of its own): `SET … pending NX EX 30
 * GET`, whose reply is the earlier value, nil when this delivery is the first.
 */
export function claimIn(pipeline: Pipeline, tenant: string, eventId: string): Pipeline {
  return pipeline.set(tenantKeys(tenant).slackEvent(eventId), 'pending', {
    nx: true,
    ex: PENDING_SECONDS,
    get: true,
  });
}

/** Reads the reply of {@link claimIn}. */
export function claimOutcome(reply: unknown): ClaimOutcome {
  if (reply === null || reply === undefined) return 'claimed';
  return reply === 'queued' ? 'queued' : 'pending';
}

/** The job is on the queue: every later delivery of the event is dropped for a day. */
export async function confirmClaim(redis: Redis, tenant: string, eventId: string): Promise<void> {
  await redisCall(() =>
    redis.set(tenantKeys(tenant).slackEvent(eventId), 'queued', { ex: QUEUED_SECONDS }),
  );
}

/** The job did not reach the queue: Slack's retry must find the event unclaimed. */
export async function releaseClaim(redis: Redis, tenant: string, eventId: string): Promise<void> {
  await redisCall(() => redis.del(tenantKeys(tenant).slackEvent(eventId)));
}
