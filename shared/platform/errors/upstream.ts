import { PlatformError } from './base.ts';

/** Redis (Upstash) could not be reached or refused our credentials. */
export class RedisUnavailableError extends PlatformError {
  readonly statusCode = 503;
  readonly code = 'redis_unavailable';
  override readonly retryAfterSeconds = 5;

  constructor(options?: ErrorOptions) {
    super('The data store is temporarily unavailable. Retry shortly.', options);
    this.name = 'RedisUnavailableError';
  }
}

/** The model provider failed, timed out or rate-limited us. */
export class ModelUnavailableError extends PlatformError {
  readonly statusCode = 503;
  readonly code = 'model_unavailable';
  override readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds = 10, options?: ErrorOptions) {
    super('The language model is temporarily unavailable. Retry shortly.', options);
    this.name = 'ModelUnavailableError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The settings secret could not be read (Secrets Manager unreachable or denied). */
export class SettingsUnavailableError extends PlatformError {
  readonly statusCode = 503;
  readonly code = 'settings_unavailable';
  override readonly retryAfterSeconds = 5;

  constructor(options?: ErrorOptions) {
    super('The service is starting up or misconfigured. Retry shortly.', options);
    this.name = 'SettingsUnavailableError';
  }
}

/** A setting a request needs is missing, e.g. right after a deploy, before the secret is filled. */
export class NotConfiguredError extends PlatformError {
  readonly statusCode = 503;
  readonly code = 'not_configured';
  override readonly retryAfterSeconds = 60;

  constructor(settings: string[]) {
    super(`The platform is not configured yet: set ${settings.join(' and ')} in the settings.`);
    this.name = 'NotConfiguredError';
  }
}

/** The invocation was about to hit its time limit, usually waiting on a dependency. */
export class DeadlineExceededError extends PlatformError {
  readonly statusCode = 503;
  readonly code = 'deadline_exceeded';
  override readonly retryAfterSeconds = 5;

  constructor() {
    super('The request took too long, most likely waiting on a dependency. Retry shortly.');
    this.name = 'DeadlineExceededError';
  }
}

/** The settings do not validate; the log names the setting. */
export class SettingsInvalidError extends PlatformError {
  readonly statusCode = 503;
  readonly code = 'settings_invalid';
  override readonly retryAfterSeconds = 60;

  constructor(options?: ErrorOptions) {
    super("The platform's settings are invalid; its operator's logs name the setting.", options);
    this.name = 'SettingsInvalidError';
  }
}

/** A message could not be handed to its queue (SQS refused or was unreachable). */
export class QueueUnavailableError extends PlatformError {
  readonly statusCode = 503;
  readonly code = 'queue_unavailable';
  override readonly retryAfterSeconds = 5;

  constructor(queue: string, options?: ErrorOptions) {
    super(`The ${queue} queue is temporarily unavailable. Retry shortly.`, options);
    this.name = 'QueueUnavailableError';
  }
}

/**
 * The model provider refused the request itself (400/422: too long for its context, a
 * policy refusal). Retrying the same request would fail the same way.
 */
export class ModelRejectedError extends PlatformError {
  readonly statusCode = 502;
  readonly code = 'model_rejected';

  constructor(status: number, options?: ErrorOptions) {
    super(`The model provider refused the request (HTTP ${status}).`, options);
    this.name = 'ModelRejectedError';
  }
}

/**
 * The model provider does not accept the platform's credentials or model name (401, 403,
 * 404): a setting to fix (OPENAI_API_KEY, OPENAI_*_MODEL, OPENAI_BASE_URL), not a bug.
 */
export class ModelMisconfiguredError extends PlatformError {
  readonly statusCode = 503;
  readonly code = 'model_misconfigured';
  override readonly retryAfterSeconds = 60;

  constructor(status: number, options?: ErrorOptions) {
    super(
      `The model provider refused the platform's key or model (HTTP ${status}); its operator must fix the model settings.`,
      options,
    );
    this.name = 'ModelMisconfiguredError';
  }
}
