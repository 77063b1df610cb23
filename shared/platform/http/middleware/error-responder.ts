import type { HttpMiddleware } from '../context.ts';
import { toErrorResponse } from '../error-response.ts';
import { logFailure } from '../log-failure.ts';

/** Turns any error into the platform's JSON error body; the detail goes to the log only. */
export function errorResponder(): HttpMiddleware {
  const errorResponderOnError: HttpMiddleware['onError'] = (request) => {
    if (request.response && request.error === undefined) return;
    const requestId =
      request.context.requestId ?? request.event.requestContext?.requestId ?? 'unknown';
    const response = toErrorResponse(request.error, requestId);
    logFailure(response.statusCode, requestId, request.error);
    request.response = response;
  };
  return { onError: errorResponderOnError };
}
