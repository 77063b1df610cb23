import { PlatformError } from '../errors/base.ts';
import { RedisUnavailableError } from '../errors/upstream.ts';

const UNREACHABLE =
  /Service Unavailable|fetch failed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|socket hang up|Unauthorized|Exhausted all retries/i;

/** The Upstash client appends the whole request to its messages: `…, command was: [...]`. */
const COMMAND_ECHO = ', command was: ';
const UNPARSABLE_BODY = 'Unable to parse response body: ';
const MAX_SUMMARY_CHARACTERS = 200;

/**
 * A Redis command failed (a script error, a wrong type): a bug or corrupted state, so a
 * 500 whose detail stays in the log. It never carries the command's arguments, which can
 * hold a document's text: only the error's name and the server's short reply.
 */
export class RedisCommandError extends PlatformError {
  readonly statusCode = 500;
  readonly code = 'internal_error';
  override readonly expose = false;

  constructor(summary: string) {
    super(`Redis command failed: ${summary}`);
    this.name = 'RedisCommandError';
  }
}

/**
 * Runs one Redis round trip and turns its failures into errors that are safe to log:
 * transport failures (unreachable, refused, bad credentials) into
 * {@link RedisUnavailableError} (503), command errors into {@link RedisCommandError} (500).
 * Neither keeps the client's original error, whose message echoes the request.
 */
export async function redisCall<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toRedisError(error);
  }
}

/** The platform error for a failure of the Redis client; other errors pass through. */
export function toRedisError(error: unknown): unknown {
  if (isTransportFailure(error)) {
    return new RedisUnavailableError({ cause: summarizeRedisError(error as Error) });
  }
  if (error instanceof Error && error.name.startsWith('Upstash')) {
    const summary = summarizeRedisError(error);
    return new RedisCommandError(`${summary.name}: ${summary.message}`);
  }
  return error;
}

function isTransportFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause =
    error.cause instanceof Error
      ? `${error.cause.message} ${String((error.cause as NodeJS.ErrnoException).code ?? '')}`
      : '';
  return UNREACHABLE.test(`${error.message} ${cause}`);
}

/**
 * The error's name, the network code of its cause if any, and the first line of its
 * message without the echoed request or response body, cut to a short length.
 */
function summarizeRedisError(error: Error): Error {
  let message = error.message;
  const echo = message.indexOf(COMMAND_ECHO);
  if (echo >= 0) message = message.slice(0, echo);
  if (message.startsWith(UNPARSABLE_BODY)) message = UNPARSABLE_BODY.slice(0, -2);
  message = (message.split('\n')[0] ?? '').slice(0, MAX_SUMMARY_CHARACTERS);
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
  const summary = new Error(code ? `${message} (${code})` : message);
  summary.name = error.name;
  // The stack would repeat the original message; the summary is what the log needs.
  summary.stack = `${summary.name}: ${summary.message}`;
  return summary;
}
