/** Why an attempt failed, as far as retrying is concerned. */
export interface AttemptFailure {
  /** A 429, a 5xx, a timeout or a lost connection: the same request may succeed later. */
  retryable: boolean;
  /** What the provider asked for (`Retry-After`), in milliseconds. */
  retryAfterMs?: number | undefined;
}

export interface RetryWithinDeadlineOptions {
  /** Retries after the first attempt, at most. */
  maxRetries: number;
  /** Longest one attempt may take. */
  attemptTimeoutMs: number;
  /** Epoch milliseconds by which the caller must have its answer; undefined: no deadline. */
  deadline?: number | undefined;
  /** An attempt with less time than this left is not started. */
  minAttemptMs?: number;
  /** Once aborted, no attempt or retry starts (its reason is thrown). */
  signal?: AbortSignal | undefined;
  classify(error: unknown): AttemptFailure;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Thrown when the deadline left no room for even a first attempt. */
export class NoTimeLeftError extends Error {
  constructor() {
    super('No time left for an attempt before the deadline.');
    this.name = 'NoTimeLeftError';
  }
}

const DEFAULT_MIN_ATTEMPT_MS = 1_000;
const BASE_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;

/**
 * Runs `attempt` with a per-attempt timeout that never reaches past `deadline`, retrying
 * retryable failures with exponential backoff (or the provider's `Retry-After`) only while
 * a useful attempt still fits. A request therefore never outlives the invocation that
 * made it, whatever `maxRetries` and the timeout say: the SDK's own retries know nothing
 * of the Lambda's time limit, so they are turned off and done here.
 *
 * @throws the last attempt's error when it is not retryable, retries are spent or the
 *   deadline leaves no room for another; {@link NoTimeLeftError} when none could start
 */
export async function retryWithinDeadline<T>(
  attempt: (timeoutMs: number) => Promise<T>,
  options: RetryWithinDeadlineOptions,
): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const minAttemptMs = options.minAttemptMs ?? DEFAULT_MIN_ATTEMPT_MS;
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  let lastError: unknown;
  let retryAfterMs: number | undefined;
  for (let attemptNumber = 0; attemptNumber <= options.maxRetries; attemptNumber += 1) {
    if (attemptNumber > 0) {
      const backoff =
        retryAfterMs ?? Math.min(BASE_BACKOFF_MS * 2 ** (attemptNumber - 1), MAX_BACKOFF_MS);
      if (now() + backoff + minAttemptMs > deadline) break;
      await sleep(backoff);
    }
    options.signal?.throwIfAborted();
    const left = deadline - now();
    if (left < minAttemptMs) break;
    try {
      return await attempt(Math.min(options.attemptTimeoutMs, left));
    } catch (error) {
      lastError = error;
      const failure = options.classify(error);
      if (!failure.retryable) throw error;
      retryAfterMs = failure.retryAfterMs;
    }
  }
  if (lastError !== undefined) throw lastError;
  throw new NoTimeLeftError();
}
