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
  const { statusCode, body, headers } = toErrorBody(error, requestId);
  return jsonResponse(statusCode, body, headers);
}

/**
 * The status, body and headers of the error response, for a caller that sends the body
 * another way (an `error` event of a stream that has already started).
 */
export function toErrorBody(
  error: unknown,
  requestId: string,
): { statusCode: number; body: ErrorBody; headers: Record<string, string> } {
  const known = asPlatformError(error);
  if (!known) {
    return {
      statusCode: 500,
      body: { error: { code: 'internal_error', message: 'Internal server error.', requestId } },
      headers: {},
    };
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
  return { statusCode: known.statusCode, body, headers };
}

function asPlatformError(error: unknown): PlatformError | undefined {
  if (error instanceof PlatformError) return error;
  // Redis calls outside `redisCall` (the rate limiter's) fail with the client's own errors.
  const fromRedis = toRedisError(error);
  return fromRedis instanceof PlatformError ? fromRedis : undefined;
}
