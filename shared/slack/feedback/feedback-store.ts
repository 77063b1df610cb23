import * as z from 'zod';
import { type Redis, redisCall } from '../../platform/redis/index.ts';
import { tenantKeys } from '../../platform/tenancy/index.ts';

/** The two buttons under every answer. */
export const FEEDBACK_ACTIONS = { up: 'answer_feedback_up', down: 'answer_feedback_down' } as const;

/** One person's vote on one answer; a second press replaces the first. */
export interface FeedbackVote {
  teamId: string;
  channel: string;
  /** The answer's message. */
  messageTs: string;
  userId: string;
  vote: 'up' | 'down';
  /** ISO 8601. */
  at: string;
}

const storedVoteSchema = z.object({
  teamId: z.string(),
  vote: z.enum(['up', 'down']),
  at: z.string(),
});

/** Stores a vote against the answer: one field per answer and voter, so a revote replaces. */
export async function recordVote(redis: Redis, tenant: string, vote: FeedbackVote): Promise<void> {
  const field = `${vote.channel}:${vote.messageTs}:${vote.userId}`;
  await redisCall(() =>
    redis.hset(tenantKeys(tenant).slackFeedback, {
      [field]: JSON.stringify({ teamId: vote.teamId, vote: vote.vote, at: vote.at }),
    }),
  );
}

/**
 * A page of the tenant's votes (HSCAN: about `limit` per page, in no particular order) and
 * the cursor of the next page, `null` after the last.
 */
export async function listVotes(
  redis: Redis,
  tenant: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ votes: FeedbackVote[]; nextCursor: string | null }> {
  const [next, flat] = await redisCall(() =>
    redis.hscan(tenantKeys(tenant).slackFeedback, page.cursor ?? '0', { count: page.limit }),
  );
  const votes: FeedbackVote[] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) {
    const [channel = '', messageTs = '', userId = ''] = String(flat[index]).split(':');
    const stored = storedVoteSchema.safeParse(safeJson(String(flat[index + 1])));
    if (stored.success) votes.push({ channel, messageTs, userId, ...stored.data });
  }
  return { votes, nextCursor: String(next) === '0' ? null : String(next) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
