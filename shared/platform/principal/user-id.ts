import * as z from 'zod';

/**
 * The user id rule, the only copy of it: 1-120 letters, digits, dots, underscores or
 * dashes, starting with a letter or digit. Enough for e-mail-like local parts, Slack ids
 * and UUIDs; no colon, so a user id is one segment of a Redis key.
 */
export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/;

/** A user id in a request; the message is part of the API's 400 answer. */
export const userIdSchema = z
  .string()
  .regex(
    USER_ID_PATTERN,
    'must be 1-120 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );
