import { logger } from '../../logging/logger.ts';
import { keyIdOf, tenantOf } from '../../principal/index.ts';
import type { HttpMiddleware } from '../context.ts';

/**
 * Assigns the request id (API Gateway's, so it matches the access log), times the
 * request and writes one structured log line per request with its outcome.
 */
export function requestContext(): HttpMiddleware {
  const requestContextBefore: HttpMiddleware['before'] = (request) => {
    request.context.requestId =
      request.event.requestContext?.requestId ?? request.context.awsRequestId ?? 'unknown';
    request.context.startedAt = performance.now();
  };
  const requestContextAfter: HttpMiddleware['after'] = (request) => {
    const { context, event, response } = request;
    const status = response?.statusCode ?? 500;
    const fields = {
      requestId: context.requestId,
      method: event.httpMethod,
      route: event.resource,
      status,
      durationMs: Math.round((performance.now() - context.startedAt) * 100) / 100,
      tenant: context.principal && tenantOf(context.principal),
      keyId: context.principal && keyIdOf(context.principal),
    };
    if (status >= 500) logger.error('request failed', fields);
    else logger.info('request', fields);
  };
  return { before: requestContextBefore, after: requestContextAfter, onError: requestContextAfter };
}
