import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { PlatformContext } from '../http/context.ts';
import { type Authenticator, authenticateCaller } from '../http/middleware/authenticate.ts';
import { corsFromConfig } from '../http/middleware/cors.ts';
import { errorResponder } from '../http/middleware/error-responder.ts';
import { jsonBody } from '../http/middleware/json-body.ts';
import { rateLimit } from '../http/middleware/rate-limit.ts';
import { requestContext } from '../http/middleware/request-context.ts';
import { type PlatformRouteTable, routeMatcher } from '../http/middleware/route-matcher.ts';
import { validateInput } from '../http/middleware/validate.ts';
import { emptyResponse, jsonResponse, streamedResponse } from '../http/responses.ts';
import type { RouteImplementation, RouteInput, RouteResult, RouteSpec } from '../http/route.ts';
import { baseStack } from './base-stack.ts';
import { deadlineOf } from './deadline.ts';

/** What the stack needs from the application and cannot know itself (it is plumbing). */
export interface ApiStackOptions {
  /** Resolves the caller of a non-public route, or throws 401/403. */
  authenticate: Authenticator;
  /** Every route of the platform, so a 405 lists methods other functions serve. */
  platformRoutes: PlatformRouteTable;
}

/**
 * The API stack on the base stack: security headers, CORS, route match, the caller's
 * credentials, rate limit, JSON body and validation, then one route call; errors become
 * the platform's JSON error body.
 *
 * @example
 * export const handler = apiStack([implement(listKeysRoute, ({ services, principal }) => ...)], {
 *   authenticate,
 *   platformRoutes,
 * });
 */
export function apiStack(routes: RouteImplementation[], options: ApiStackOptions) {
  return apiMiddleware(routes, options, false).handler(async (event, context, { signal }) =>
    toBufferedResponse(await runRoute(event, context, signal)),
  );
}

/**
 * The same stack answering with Lambda response streaming: a route may return a `stream`
 * (server-sent events, say) that reaches the client chunk by chunk as it is written. Until
 * the route returns, nothing has been sent, so an error before the first byte is the
 * usual JSON error with its status; a route that returns a `body` answers it whole.
 */
export function streamingApiStack(routes: RouteImplementation[], options: ApiStackOptions) {
  return apiMiddleware(routes, options, true).handler(async (event, context, { signal }) => {
    const result = await runRoute(event, context, signal);
    return result.stream
      ? streamedResponse(result.status, result.stream, result.headers)
      : toBufferedResponse(result);
  });
}

function apiMiddleware(
  routes: RouteImplementation[],
  options: ApiStackOptions,
  streamifyResponse: boolean,
) {
  return baseStack<APIGatewayProxyEvent, APIGatewayProxyResult, PlatformContext>({
    streamifyResponse,
    log: requestContext(),
    outer: [httpSecurityHeaders(), corsFromConfig(), httpHeaderNormalizer()],
    inner: [
      routeMatcher(routes, options.platformRoutes),
      authenticateCaller(options.authenticate),
      rateLimit(),
      jsonBody(),
      validateInput(),
    ],
    errors: errorResponder(),
  });
}

function runRoute(
  event: APIGatewayProxyEvent,
  context: PlatformContext,
  signal: AbortSignal,
): Promise<RouteResult> {
  const { route, input, principal, services, requestId } = context;
  return route.run({
    ...(input as Pick<RouteInput<RouteSpec>, 'params' | 'query' | 'body'>),
    principal: principal as never,
    services,
    requestId,
    deadline: deadlineOf(context),
    signal,
    event,
  });
}

function toBufferedResponse(result: RouteResult): APIGatewayProxyResult {
  if (result.stream) throw new Error('A buffered route returned a stream; serve it streamed.');
  if (result.body === undefined) return emptyResponse(result.status, result.headers);
  return jsonResponse(result.status, result.body, result.headers);
}
