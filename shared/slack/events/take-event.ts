import type { QueueSender } from '../../platform/queues/queue-sender.ts';
import type { Redis } from '../../platform/redis/index.ts';
import { hmgetReply, redisCall } from '../../platform/redis/index.ts';
import { SlackEventInFlightError } from '../errors.ts';
import { MAX_QUESTION_CHARACTERS, SLACK_QUEUE, type SlackJob, slackJobSchema } from '../job.ts';
import { channelSettingsRead, settingsForChannel } from '../settings/channel-settings.ts';
import { resolveTenant, type TenantSource } from '../settings/workspace-tenants.ts';
import { answeredThreads } from '../threads.ts';
import type { EventCallback } from './envelope.ts';
import { claimIn, claimOutcome, confirmClaim, releaseClaim } from './event-claims.ts';
import { botUserIdOf, readIntent, shouldAnswer } from './select-message.ts';

/** What the events function needs to take an event. */
export interface TakeEventDeps {
  redis: Redis;
  queues: QueueSender;
  /** `SLACK_DEFAULT_TENANT`: the tenant of workspaces without a mapping. */
  defaultTenant: string | undefined;
}

/** What became of an event, for the log line; every outcome is acknowledged to Slack. */
export type EventOutcome =
  | { outcome: 'queued'; tenant: string; tenantSource: TenantSource; job: SlackJob['kind'] }
  | { outcome: 'duplicate'; tenant: string }
  | { outcome: 'ignored'; reason: string; tenant?: string }
  | { outcome: 'unmapped'; reason: string };

/**
 * The events function's whole job for one `event_callback`, inside Slack's 3 seconds:
 * decide from the event alone whether it could want an answer (no Redis for the bot's own
 * messages, edits and the like), find the workspace's tenant (one command), read the
 * channel's settings and whether the bot is in the thread while claiming the event id
 * (one pipelined round trip), then queue the job and mark the claim `queued`.
 *
 * A delivery of an event already queued is dropped; one whose earlier delivery is still on
 * its way to the queue gets {@link SlackEventInFlightError} (503, Slack retries); if the
 * queue refuses the job the claim is released, so Slack's retry takes it.
 */
export async function takeEvent(
  deps: TakeEventDeps,
  envelope: EventCallback,
): Promise<EventOutcome> {
  const intent = readIntent(envelope);
  if (intent.kind === 'ignore') return { outcome: 'ignored', reason: intent.reason };
  const teamId = envelope.team_id;
  const enterpriseId = envelope.enterprise_id ?? undefined;
  const { tenant, source } = await resolveTenant(
    deps.redis,
    { teamId, enterpriseId },
    deps.defaultTenant,
  );
  if (!tenant || !teamId) {
    return {
      outcome: 'unmapped',
      reason: `workspace ${teamId ?? '(none)'}${enterpriseId ? ` of org ${enterpriseId}` : ''} is mapped to no tenant and SLACK_DEFAULT_TENANT is empty`,
    };
  }

  let pipeline = deps.redis.pipeline();
  const direct = intent.kind === 'message' && intent.via === 'direct';
  const readsChannel = intent.kind === 'message';
  const readsThread = intent.kind === 'message' && intent.via === 'channel' && intent.inThread;
  if (readsChannel) {
    const read = channelSettingsRead(tenant, teamId, intent.channel);
    pipeline = pipeline.hmget(read.key, ...read.fields);
  }
  if (readsThread) {
    pipeline = pipeline.exists(
      answeredThreads.key(tenant, teamId, intent.channel, intent.threadTs),
    );
  }
  pipeline = claimIn(pipeline, tenant, envelope.event_id);
  const replies = await redisCall(() => pipeline.exec<unknown[]>());
  const claim = claimOutcome(replies.at(-1));

  const common = {
    v: 1,
    tenant,
    eventId: envelope.event_id,
    teamId,
    ...(enterpriseId ? { enterpriseId } : {}),
    channel: intent.channel,
    threadTs: intent.threadTs,
    userId: intent.userId,
  };
  let job: unknown;
  if (intent.kind === 'message') {
    const read = channelSettingsRead(tenant, teamId, intent.channel);
    const [storedChannel, storedTenant] = hmgetReply(replies[0], read.fields);
    const settings = settingsForChannel(storedChannel, storedTenant, direct);
    const threadAnswered = readsThread && Number(replies[1]) === 1;
    const decision = shouldAnswer(intent, { ...settings, threadAnswered });
    if (!decision.answer) return { outcome: 'ignored', reason: decision.reason, tenant };
    job = {
      ...common,
      kind: 'answer',
      messageTs: intent.messageTs,
      text: intent.text.slice(0, MAX_QUESTION_CHARACTERS),
      botUserId: botUserIdOf(envelope),
      direct,
    };
  } else {
    job = { ...common, kind: 'thread-started' };
  }
  const parsed = slackJobSchema.safeParse(job);
  if (!parsed.success) {
    return { outcome: 'ignored', reason: 'an id or timestamp is not of Slack form', tenant };
  }

  if (claim === 'queued') return { outcome: 'duplicate', tenant };
  if (claim === 'pending') throw new SlackEventInFlightError();
  try {
    await deps.queues.send(SLACK_QUEUE, parsed.data);
  } catch (error) {
    await releaseClaim(deps.redis, tenant, envelope.event_id).catch(() => undefined);
    throw error;
  }
  // The job is queued whatever happens next: if marking it fails, a later delivery may
  // queue it again, and the worker's answer record keeps that from a second answer.
  await confirmClaim(deps.redis, tenant, envelope.event_id).catch(() => undefined);
  return { outcome: 'queued', tenant, tenantSource: source, job: parsed.data.kind };
}
