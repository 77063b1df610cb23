import type { Config } from '../platform/config/index.ts';
import { hasScope, type Principal, type Scope } from '../platform/principal/index.ts';
import type { Redis } from '../platform/redis/index.ts';
import { digestsEqual, hashApiKey } from './api-key-format.ts';
import { verifyApiKey } from './api-key-store.ts';
import { ForbiddenError, UnauthorizedError } from './errors.ts';

export interface AuthDependencies {
  redis: Redis;
  auth: Config['auth'];
}

/**
 * Resolves the `Authorization` header to a principal holding `requiredScope`.
 * Throws {@link UnauthorizedError} (401) or {@link ForbiddenError} (403).
 */
export async function authenticate(
  authorization: string | undefined,
  requiredScope: Scope,
  deps: AuthDependencies,
): Promise<Principal> {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!presented) throw new UnauthorizedError();
  const principal: Principal | undefined = isBootstrapKey(presented, deps.auth)
    ? { kind: 'operator', tenant: deps.auth.adminTenant }
    : await verifyApiKey(deps.redis, presented);
  if (!principal) throw new UnauthorizedError();
  if (!hasScope(principal, requiredScope)) throw new ForbiddenError(requiredScope);
  return principal;
}

/** The settings hold only the bootstrap key's SHA-256; compared in constant time. */
function isBootstrapKey(presented: string, auth: Config['auth']): boolean {
  if (!auth.adminApiKeySha256) return false;
  return digestsEqual(hashApiKey(presented), auth.adminApiKeySha256);
}
