import { authenticate } from '../auth/index.ts';
import {
  type ApiStackOptions,
  apiStack,
  streamingApiStack,
} from '../platform/handlers/api-stack.ts';
import type { Authenticator } from '../platform/http/middleware/authenticate.ts';
import type { RouteImplementation } from '../platform/http/route.ts';

export { queueStack as queueHandler } from '../platform/handlers/queue-stack.ts';
export {
  type RawRouteImplementation,
  rawHttpStack as rawHttpHandler,
} from '../platform/handlers/raw-http-stack.ts';

/** `/v1` callers present an API key: a tenant's, or the operator's bootstrap key. */
const authenticateApiKey: Authenticator = (authorization, requiredScope, { services, config }) =>
  authenticate(authorization, requiredScope, {
    // Read only if a tenant key must be looked up: the operator's key needs no Redis.
    get redis() {
      return services.redis;
    },
    auth: config.auth,
  });

const apiOptions: ApiStackOptions = {
  authenticate: authenticateApiKey,
  // Loaded by the first 405 only: every route's schemas are not worth a cold start.
  platformRoutes: () => import('./all-routes.ts').then((module) => module.allRoutes),
};

/**
 * The API's buffered stack, wired to the API-key authenticator and the full route list.
 *
 * @example
 * export const handler = apiHandler([implement(searchRoute, ({ services, principal, body }) => ...)]);
 */
export function apiHandler(routes: RouteImplementation[]) {
  return apiStack(routes, apiOptions);
}

/**
 * The same, answering with Lambda response streaming: for routes that return a `stream`
 * (server-sent events). Its catalog entry serves its routes `streamed`.
 */
export function streamingApiHandler(routes: RouteImplementation[]) {
  return streamingApiStack(routes, apiOptions);
}
