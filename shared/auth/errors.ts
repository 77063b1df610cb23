import { PlatformError } from '../platform/errors/base.ts';

/** No key, an unknown key or a revoked key. The message never says which. */
export class UnauthorizedError extends PlatformError {
  readonly statusCode = 401;
  readonly code = 'unauthorized';

  constructor() {
    super('A valid API key is required: send `Authorization: Bearer <key>`.');
    this.name = 'UnauthorizedError';
  }
}

/** The key is genuine but past its `expiresAt`: the caller should rotate it. */
export class KeyExpiredError extends PlatformError {
  readonly statusCode = 401;
  readonly code = 'key_expired';

  constructor() {
    super('This API key has expired; create a new one.');
    this.name = 'KeyExpiredError';
  }
}

/** The key is valid but lacks the scope the route needs. */
export class ForbiddenError extends PlatformError {
  readonly statusCode = 403;
  readonly code = 'forbidden';

  constructor(requiredScope: string, message?: string) {
    super(message ?? `This API key lacks the "${requiredScope}" scope.`);
    this.name = 'ForbiddenError';
  }
}

export class ApiKeyNotFoundError extends PlatformError {
  readonly statusCode = 404;
  readonly code = 'api_key_not_found';

  constructor(id: string) {
    super(`No API key with id "${id}" in this tenant.`);
    this.name = 'ApiKeyNotFoundError';
  }
}
