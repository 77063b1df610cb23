import type { APIGatewayProxyEvent } from 'aws-lambda';
import { toProxyEvent } from '#local/api-gateway-event.ts';

/**
 * The API Gateway proxy event for a request to `path` (also its resource: no path
 * parameters), for tests that call a handler directly.
 */
export function proxyEvent(
  method: string,
  path: string,
  request: { headers?: Record<string, string>; body?: string } = {},
): APIGatewayProxyEvent {
  return toProxyEvent(
    {
      method,
      url: new URL(`http://localhost${path}`),
      headers: request.headers ?? {},
      body: Buffer.from(request.body ?? ''),
      sourceIp: '127.0.0.1',
    },
    path,
    null,
    'test',
  );
}
