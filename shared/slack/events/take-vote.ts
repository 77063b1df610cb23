import type { Redis } from '../../platform/redis/index.ts';
import { FEEDBACK_ACTIONS, recordVote } from '../feedback/feedback-store.ts';
import { slackIdSchema, slackTsSchema } from '../ids.ts';
import { resolveTenant } from '../settings/workspace-tenants.ts';
import type { BlockActions } from './envelope.ts';

/** What became of a button press, for the log line. */
export type VoteOutcome =
  | { outcome: 'voted'; tenant: string; vote: 'up' | 'down' }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'unmapped'; reason: string };

/**
 * A 👍 or 👎 pressed under an answer: the vote is stored against the answer (tenant,
 * Slack user, message) before Slack is acknowledged. Other actions are not the app's.
 */
export async function takeVote(
  deps: { redis: Redis; defaultTenant: string | undefined },
  payload: BlockActions,
  now: Date = new Date(),
): Promise<VoteOutcome> {
  const action = payload.actions.find(
    (candidate) =>
      candidate.action_id === FEEDBACK_ACTIONS.up || candidate.action_id === FEEDBACK_ACTIONS.down,
  );
  if (!action) return { outcome: 'ignored', reason: 'not a feedback button' };
  const teamId = payload.team?.id;
  const enterpriseId = payload.team?.enterprise_id ?? payload.enterprise?.id ?? undefined;
  const channel = payload.container?.channel_id ?? payload.channel?.id;
  const messageTs = payload.container?.message_ts ?? payload.message?.ts;
  const ids = [teamId, channel, payload.user.id].map((id) => slackIdSchema.safeParse(id).success);
  if (!teamId || !channel || !messageTs || ids.includes(false)) {
    return { outcome: 'ignored', reason: 'feedback without workspace, channel or message' };
  }
  if (!slackTsSchema.safeParse(messageTs).success) {
    return { outcome: 'ignored', reason: 'feedback on a message ts not of Slack form' };
  }
  const { tenant } = await resolveTenant(deps.redis, { teamId, enterpriseId }, deps.defaultTenant);
  if (!tenant) return { outcome: 'unmapped', reason: `workspace ${teamId} is mapped to no tenant` };
  const vote = action.action_id === FEEDBACK_ACTIONS.up ? 'up' : 'down';
  await recordVote(deps.redis, tenant, {
    teamId,
    channel,
    messageTs,
    userId: payload.user.id,
    vote,
    at: now.toISOString(),
  });
  return { outcome: 'voted', tenant, vote };
}
