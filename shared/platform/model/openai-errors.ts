import type { APIError } from 'openai';
import {
  DeadlineExceededError,
  ModelMisconfiguredError,
  ModelRejectedError,
  ModelUnavailableError,
} from '../errors/index.ts';
import type { OpenAiSdk } from './openai-client.ts';
import { type AttemptFailure, NoTimeLeftError } from './retry-within-deadline.ts';

/** The SDK's error classes; the SDK is loaded on first use, so they are passed in. */
type SdkErrors = Pick<OpenAiSdk, 'APIError' | 'APIConnectionError'>;

const DEFAULT_RETRY_AFTER_SECONDS = 10;

/** 429, 5xx, timeouts and lost connections are worth another attempt; 4xx are not. */
export function classifyOpenAiError(error: unknown, sdk: SdkErrors): AttemptFailure {
  if (error instanceof sdk.APIConnectionError) return { retryable: true };
  if (error instanceof sdk.APIError && isOutage(error)) {
    const seconds = retryAfterSeconds(error);
    return { retryable: true, retryAfterMs: seconds === undefined ? undefined : seconds * 1000 };
  }
  return { retryable: false };
}

/**
 * The platform error for a failed model request: outages and rate limits become
 * {@link ModelUnavailableError} (503 with the provider's `Retry-After`), a request the
 * deadline left no time for becomes {@link DeadlineExceededError}, a refused request
 * (400/422) {@link ModelRejectedError} and refused credentials or model (401/403/404)
 * {@link ModelMisconfiguredError}; anything else passes through as an unexpected error.
 */
export function toModelError(error: unknown, sdk: SdkErrors): unknown {
  if (error instanceof NoTimeLeftError) return new DeadlineExceededError();
  if (error instanceof sdk.APIConnectionError) {
    return new ModelUnavailableError(DEFAULT_RETRY_AFTER_SECONDS, { cause: error });
  }
  if (error instanceof sdk.APIError && isOutage(error)) {
    return new ModelUnavailableError(retryAfterSeconds(error) ?? DEFAULT_RETRY_AFTER_SECONDS, {
      cause: error,
    });
  }
  if (error instanceof sdk.APIError && error.status !== undefined) {
    if ([401, 403, 404].includes(error.status)) {
      return new ModelMisconfiguredError(error.status, { cause: error });
    }
    if (error.status === 400 || error.status === 422) {
      return new ModelRejectedError(error.status, { cause: error });
    }
  }
  return error;
}

function isOutage(error: APIError): boolean {
  return error.status === 429 || (error.status ?? 0) >= 500;
}

function retryAfterSeconds(error: APIError): number | undefined {
  const value = Number(error.headers?.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
}
