import { PlatformError } from '../../platform/errors/base.ts';

/**
 * No conversation with this id for this user: it never existed, expired, was deleted, or
 * belongs to someone else. One answer for all four, so an id reveals nothing.
 */
export class ConversationNotFoundError extends PlatformError {
  readonly statusCode = 404;
  readonly code = 'conversation_not_found';

  constructor(id: string) {
    super(`No conversation with id "${id}" for this user.`);
    this.name = 'ConversationNotFoundError';
  }
}
