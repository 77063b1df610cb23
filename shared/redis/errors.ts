import { RedisUnavailableError } from '../errors/upstream.ts';

const UNREACHABLE =
  /Service Unavailable|fetch failed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|socket hang up|Unauthorized|Exhausted all retries/i;

/**
 * Runs one Redis round trip and turns transport failures (unreachable, refused, bad
 * credentials) into {@link RedisUnavailableError}; command errors pass through unchanged.
 */
export async function redisCall<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isTransportFailure(error)) throw new RedisUnavailableError({ cause: error });
    throw error;
  }
}

export function isTransportFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause =
    error.cause instanceof Error
      ? `${error.cause.message} ${String((error.cause as NodeJS.ErrnoException).code ?? '')}`
      : '';
  return UNREACHABLE.test(`${error.message} ${cause}`);
}
