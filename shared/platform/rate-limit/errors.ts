import { PlatformError } from '../errors/base.ts';

export class RateLimitedError extends PlatformError {
  readonly statusCode = 429;
  readonly code = 'rate_limited';
  override readonly retryAfterSeconds: number;
  override readonly headers: Record<string, string>;

  constructor(retryAfterSeconds: number, headers: Record<string, string>) {
    super(`Too many requests. Retry after ${retryAfterSeconds} s.`);
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
    this.headers = headers;
  }
}
