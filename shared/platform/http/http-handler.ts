import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { configMiddleware } from '../config/index.ts';
import { DeadlineExceededError } from '../errors/index.ts';
import type { PlatformContext } from './context.ts';
import { type Authenticator, authenticateCaller } from './middleware/authenticate.ts';
import { corsFromConfig } from './middleware/cors.ts';
import { errorResponder } from './middleware/error-responder.ts';
import { jsonBody } from './middleware/json-body.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestContext } from './middleware/request-context.ts';
import { routeMatcher } from './middleware/route-matcher.ts';
import { validateInput } from './middleware/validate.ts';
import { emptyResponse, jsonResponse } from './responses.ts';
import type { RouteImplementation, RouteInput, RouteSpec } from './route.ts';

/** Time kept back from the Lambda's limit to answer and log before it is reached. */
const DEADLINE_MARGIN_MS = 500;

/** What the stack needs from the application and cannot know itself (it is plumbing). */
export interface HttpStackOptions {
  /** Resolves the caller of a non-public route, or throws 401/403. */
  authenticate: Authenticator;
  /** Every route of the platform, so a 405 lists methods other functions serve. */
  platformRoutes: readonly RouteSpec[];
}

/**
 * The one middleware stack every HTTP function uses. `before` runs top to bottom;
 * `after`/`onError` bottom to top, so the error responder answers first and the security
 * headers, CORS and the request log then apply to every response, errors included.
 *
 * @example
 * export const handler = httpHandler([implement(listKeysRoute, ({ services, principal }) => ...)], {
 *   authenticate,
 *   platformRoutes,
 * });
 */
export function httpHandler(routes: RouteImplementation[], options: HttpStackOptions) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, PlatformContext>({
    // Answer a clean 503 just before the Lambda's own time limit would cut the request off
    // (a slow model or Redis), instead of API Gateway's bare 5xx.
    timeoutEarlyInMillis: DEADLINE_MARGIN_MS,
    timeoutEarlyResponse: () => {
      throw new DeadlineExceededError();
    },
  })
    .use(requestContext())
    .use(httpSecurityHeaders())
    .use(corsFromConfig())
    .use(httpHeaderNormalizer())
    .use(configMiddleware<APIGatewayProxyEvent, APIGatewayProxyResult, PlatformContext>())
    .use(routeMatcher(routes, options.platformRoutes))
    .use(authenticateCaller(options.authenticate))
    .use(rateLimit())
    .use(jsonBody())
    .use(validateInput())
    .use(errorResponder())
    .handler(async (event, context) => {
      const { route, input, principal, services, requestId } = context;
      const result = await route.run({
        ...(input as Pick<RouteInput<RouteSpec>, 'params' | 'query' | 'body'>),
        principal: principal as never,
        services,
        requestId,
        deadline: Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS,
        event,
      });
      if (result.body === undefined) return emptyResponse(result.status, result.headers);
      return jsonResponse(result.status, result.body, result.headers);
    });
}
