import { PlatformError } from '../../platform/errors/base.ts';

/** A request with this Idempotency-Key is still being answered. */
export class IdempotencyInProgressError extends PlatformError {
  readonly statusCode = 409;
  readonly code = 'idempotency_in_progress';
  override readonly retryAfterSeconds = 2;

  constructor() {
    super('A request with this Idempotency-Key is still running; retry when it has finished.');
    this.name = 'IdempotencyInProgressError';
  }
}

/** The same Idempotency-Key was sent with a different request. */
export class IdempotencyKeyReusedError extends PlatformError {
  readonly statusCode = 422;
  readonly code = 'idempotency_key_reused';

  constructor() {
    super('This Idempotency-Key was used for a different request; use a new key.');
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** The message and the fixed parts of the prompt alone exceed CHAT_CONTEXT_TOKENS. */
export class MessageTooLongError extends PlatformError {
  readonly statusCode = 413;
  readonly code = 'message_too_long';

  constructor(tokens: number, budget: number) {
    super(
      `The message needs about ${tokens} tokens with the instructions; the prompt budget is ${budget} (CHAT_CONTEXT_TOKENS less CHAT_MAX_ANSWER_TOKENS).`,
    );
    this.name = 'MessageTooLongError';
  }
}
