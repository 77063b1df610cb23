import type { Readable } from 'node:stream';
import type { APIGatewayProxyResult } from 'aws-lambda';

/**
 * Tenant data and freshly issued keys must not sit in any cache, so every response says
 * `no-store` unless its route sets its own `cache-control`.
 */
const NOT_CACHED = { 'cache-control': 'no-store' };

/** A JSON response in API Gateway's proxy shape. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...NOT_CACHED, ...headers },
    body: JSON.stringify(body),
  };
}

/** A response without a body (204), with the same caching rule. */
export function emptyResponse(
  statusCode: number,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return { statusCode, headers: { ...NOT_CACHED, ...headers }, body: '' };
}

/**
 * A response whose body is written as it is produced, for the streaming stack: middy
 * writes the status and headers first (Lambda's HTTP response prelude), then pipes the
 * stream. The same caching rule applies.
 */
export function streamedResponse(
  statusCode: number,
  body: Readable,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { ...NOT_CACHED, ...headers },
    // middy's streaming mode pipes a readable body; the proxy result type only knows strings.
    body: body as unknown as string,
  };
}
