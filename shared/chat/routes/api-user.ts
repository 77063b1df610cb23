import { PlatformError } from '../../platform/errors/base.ts';
import { actingUserId, isOperator, type Principal } from '../../platform/principal/index.ts';

/**
 * User ids the Slack app gives its users (`slack.{team}.{user}`): their conversations and
 * memory are the Slack app's to write. An API key may not act as one, so it can neither
 * read a Slack user's memory nor plant memories in their answers; the operator may.
 */
export const SLACK_USER_PREFIX = 'slack.';

/** A user id that belongs to the Slack app was named through the API. */
export class ReservedUserIdError extends PlatformError {
  readonly statusCode = 403;
  readonly code = 'reserved_user_id';

  constructor() {
    super(`User ids starting with "${SLACK_USER_PREFIX}" belong to the Slack app.`);
    this.name = 'ReservedUserIdError';
  }
}

/** The user an API call acts for ({@link actingUserId}), never a Slack app user. */
export function apiUserId(principal: Principal, requested: string | undefined): string {
  const userId = actingUserId(principal, requested);
  if (userId.startsWith(SLACK_USER_PREFIX) && !isOperator(principal)) {
    throw new ReservedUserIdError();
  }
  return userId;
}
