import type { PlatformMiddleware } from '../context.ts';
import { MethodNotAllowedError, RouteNotFoundError } from '../errors.ts';
import type { RouteImplementation, RouteSpec } from '../route.ts';

/**
 * Every route of the platform, loaded only when a 405 needs it: importing every route's
 * schemas at init would cost each function's cold start for a rare answer.
 */
export type PlatformRouteTable = () => Promise<readonly Pick<RouteSpec, 'method' | 'path'>[]>;

/**
 * Picks the route this function serves for the event's resource and method. An OPTIONS
 * request on a known resource is a CORS preflight: it runs no route, and the CORS
 * middleware adds the allowed origin, methods and headers to its empty 204. Any other
 * method no route serves is a 405 whose `Allow` lists every method the platform serves on
 * that path, including those other functions serve (`platformRoutes`).
 */
export function routeMatcher(
  routes: RouteImplementation[],
  platformRoutes: PlatformRouteTable,
): PlatformMiddleware {
  const routeMatcherBefore: PlatformMiddleware['before'] = async (request) => {
    const { resource, httpMethod, path } = request.event;
    const candidates = routes.filter((route) => route.spec.path === resource);
    if (candidates.length === 0) throw new RouteNotFoundError(path ?? resource);
    const route =
      httpMethod === 'OPTIONS'
        ? preflightRoute(resource)
        : candidates.find((candidate) => candidate.spec.method === httpMethod);
    if (!route) {
      const served = [...candidates.map((candidate) => candidate.spec), ...(await platformRoutes())]
        .filter((spec) => spec.path === resource)
        .map((spec) => spec.method);
      throw new MethodNotAllowedError(httpMethod, path ?? resource, [...new Set(served)]);
    }
    request.context.route = route;
  };
  return { before: routeMatcherBefore };
}

function preflightRoute(resource: string): RouteImplementation {
  return {
    spec: {
      operationId: 'corsPreflight',
      method: 'OPTIONS' as RouteImplementation['spec']['method'],
      path: resource,
      summary: 'CORS preflight',
      tags: [],
      access: 'public',
      rateLimited: false,
      responses: { 204: { description: 'Allowed origins, methods and headers' } },
    },
    run: async () => ({ status: 204 }),
  };
}
