import type { Config } from '../../config/index.ts';
import type { Principal, Scope } from '../../principal/index.ts';
import type { Services } from '../../services.ts';
import type { PlatformMiddleware } from '../context.ts';

/**
 * Resolves a request's `Authorization` header to a principal holding `requiredScope`, or
 * throws (401/403). Supplied by the application (`shared/app/`), since who may call is
 * domain knowledge (API keys) the plumbing does not have.
 */
export type Authenticator = (
  authorization: string | undefined,
  requiredScope: Scope,
  context: { services: Services; config: Config },
) => Promise<Principal>;

/** Requires a caller holding the route's scope on every non-public route. */
export function authenticateCaller(authenticate: Authenticator): PlatformMiddleware {
  const authenticateCallerBefore: PlatformMiddleware['before'] = async (request) => {
    const { route, services, config } = request.context;
    if (route.spec.access === 'public') return;
    request.context.principal = await authenticate(
      request.event.headers?.authorization,
      route.spec.access,
      { services, config },
    );
  };
  return { before: authenticateCallerBefore };
}
