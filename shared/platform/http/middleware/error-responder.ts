import { logger } from '../../logging/logger.ts';
import type { HttpMiddleware } from '../context.ts';
import { toErrorResponse } from '../error-response.ts';

/** Turns any error into the platform's JSON error body; the detail goes to the log only. */
export function errorResponder(): HttpMiddleware {
  const errorResponderOnError: HttpMiddleware['onError'] = (request) => {
    if (request.response && request.error === undefined) return;
    const requestId =
      request.context.requestId ?? request.event.requestContext?.requestId ?? 'unknown';
    const response = toErrorResponse(request.error, requestId);
    if (response.statusCode === 500) {
      logger.error('unhandled error', { requestId, error: request.error as Error });
    } else if (response.statusCode >= 500) {
      // An expected outage of a dependency (503): worth a warning, not a page.
      logger.warn('dependency unavailable', { requestId, error: request.error as Error });
    }
    request.response = response;
  };
  return { onError: errorResponderOnError };
}
