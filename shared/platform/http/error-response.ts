import type { APIGatewayProxyResult } from 'aws-lambda';
import { PlatformError } from '../errors/index.ts';
import { toRedisError } from '../redis/index.ts';
import { jsonResponse } from './responses.ts';

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    requestId: string;
    issues?: { path: string; message: string }[];
  };
}

/**
 * The one place where errors become HTTP responses. Exposed platform errors keep their
 * message; everything else is a generic 500 carrying only the request id.
 */
export function toErrorResponse(error: unknown, requestId: string): APIGatewayProxyResult {
  const known = asPlatformError(error);
  if (!known) {
    return jsonResponse(500, {
      error: { code: 'internal_error', message: 'Internal server error.', requestId },
    } satisfies ErrorBody);
  }
  const headers: Record<string, string> = { ...known.headers };
  if (known.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(known.retryAfterSeconds);
  const issues = (known as { issues?: ErrorBody['error']['issues'] }).issues;
  const body: ErrorBody = {
    error: {
      code: known.code,
      message: known.expose ? known.message : 'Internal server error.',
      requestId,
      ...(issues ? { issues } : {}),
    },
  };
  return jsonResponse(known.statusCode, body, headers);
}

function asPlatformError(error: unknown): PlatformError | undefined {
  if (error instanceof PlatformError) return error;
  // Redis calls outside `redisCall` (the rate limiter's) fail with the client's own errors.
  const fromRedis = toRedisError(error);
  return fromRedis instanceof PlatformError ? fromRedis : undefined;
}
