import { randomBytes } from 'node:crypto';
import * as z from 'zod';

/** Conversation ids: ours (`c-…`), or a caller's such as a Slack thread's. */
export const CONVERSATION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export const conversationIdSchema = z
  .string()
  .regex(CONVERSATION_ID_PATTERN, 'must be 1-200 letters, digits, dots, underscores or dashes');

/** 120 random bits: unguessable, so an id alone reveals and reaches nothing. */
function randomId(prefix: string): string {
  return `${prefix}-${randomBytes(15).toString('base64url').replaceAll('_', '0').replaceAll('-', '1')}`;
}

export const newConversationId = (): string => randomId('c');
export const newMessageId = (): string => randomId('m');
