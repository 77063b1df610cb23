/**
 * Base of every expected error in the platform. Each subclass states the HTTP status it
 * maps to and a stable `code`; `expose` is false for faults whose message must not reach
 * a client. The mapping to a response lives in one place (`shared/platform/http/error-response.ts`).
 */
export abstract class PlatformError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;
  /** Whether `message` is safe to show to the caller. */
  readonly expose: boolean = true;
  /** Seconds a client should wait before retrying, for 429 and 503. */
  readonly retryAfterSeconds: number | undefined = undefined;
  /** Extra response headers, e.g. `Allow` for 405 or `RateLimit-*` for 429. */
  readonly headers: Record<string, string> | undefined = undefined;
}
