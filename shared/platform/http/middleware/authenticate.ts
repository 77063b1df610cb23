import { authenticate } from '../../../auth/authenticate.ts';
import type { PlatformMiddleware } from '../context.ts';

/** Requires an API key holding the route's scope on every non-public route. */
export function apiKeyAuth(): PlatformMiddleware {
  const apiKeyAuthBefore: PlatformMiddleware['before'] = async (request) => {
    const { route, services, config } = request.context;
    if (route.spec.access === 'public') return;
    request.context.principal = await authenticate(
      request.event.headers?.authorization,
      route.spec.access,
      { redis: services.redis, auth: config.auth },
    );
  };
  return { before: apiKeyAuthBefore };
}
