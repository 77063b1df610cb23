import { authenticate } from '../auth/index.ts';
import { httpHandler } from '../platform/http/http-handler.ts';
import type { Authenticator } from '../platform/http/middleware/authenticate.ts';
import type { RouteImplementation } from '../platform/http/route.ts';
import { allRoutes } from './all-routes.ts';

/** `/v1` callers present an API key: a tenant's, or the operator's bootstrap key. */
const authenticateApiKey: Authenticator = (authorization, requiredScope, { services, config }) =>
  authenticate(authorization, requiredScope, { redis: services.redis, auth: config.auth });

/**
 * The API's middleware stack, wired to the API-key authenticator and the full route list.
 *
 * @example
 * export const handler = apiHandler([implement(searchRoute, ({ services, principal, body }) => ...)]);
 */
export function apiHandler(routes: RouteImplementation[]) {
  return httpHandler(routes, { authenticate: authenticateApiKey, platformRoutes: allRoutes });
}
