import * as z from 'zod';
import { SLACK_USER_PREFIX } from '../chat/routes/api-user.ts';

/**
 * Slack ids as the Events API sends them: uppercase letters and digits (`T…` teams,
 * `E…` orgs, `C`/`G`/`D…` conversations, `U`/`W…` users, `B…` bots), and message
 * timestamps `seconds.micros`. Checked because they become parts of Redis keys and ids.
 */
export const slackIdSchema = z.string().regex(/^[A-Z0-9]{2,40}$/, 'must be a Slack id');
export const slackTsSchema = z.string().regex(/^\d{1,12}\.\d{1,8}$/, 'must be a Slack timestamp');

/**
 * The stored chat conversation of one person in a Slack thread. The thread itself is the
 * context (its messages, everyone's, are passed as history), but a stored conversation
 * belongs to one user, so each person who asks in the thread continues their own.
 * Ids and timestamps are `[A-Z0-9.]`, within the chat id pattern `[A-Za-z0-9._-]`.
 */
export function conversationIdOf(
  teamId: string,
  channel: string,
  threadTs: string,
  userId: string,
): string {
  return `slack.${teamId}.${channel}.${threadTs}.${userId}`;
}

/**
 * The chat user of a Slack user: the same in every channel and DM of the workspace, so
 * their memory follows them.
 */
export function chatUserIdOf(teamId: string, userId: string): string {
  return `${SLACK_USER_PREFIX}${teamId}.${userId}`;
}

/** Orders Slack timestamps (`seconds.micros`) as numbers, both parts exact. */
export function compareSlackTs(a: string, b: string): number {
  const [aSeconds = 0, aMicros = 0] = a.split('.').map(Number);
  const [bSeconds = 0, bMicros = 0] = b.split('.').map(Number);
  return aSeconds - bSeconds || aMicros - bMicros;
}
