import { PlatformError } from '../errors/base.ts';

/** A key bound to one user named another: it may only act as its own user. */
export class UserMismatchError extends PlatformError {
  readonly statusCode = 403;
  readonly code = 'user_mismatch';

  constructor() {
    super('This API key is bound to another user id; it may act only as its own user.');
    this.name = 'UserMismatchError';
  }
}

/** A key bound to no user made a call that acts for a user, without naming one. */
export class UserIdRequiredError extends PlatformError {
  readonly statusCode = 400;
  readonly code = 'user_id_required';

  constructor() {
    super('userId is required: this API key is not bound to a user.');
    this.name = 'UserIdRequiredError';
  }
}
