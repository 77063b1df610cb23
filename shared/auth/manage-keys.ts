import type { Redis } from '../redis/index.ts';
import { type ApiKeyRecord, createApiKey } from './api-key-store.ts';
import { ForbiddenError } from './errors.ts';
import type { Principal } from './principal.ts';
import type { Scope } from './scopes.ts';

/**
 * Creates a key in the caller's tenant. Only the bootstrap admin key (the platform
 * operator's) may create keys for another tenant, which is how tenants are onboarded.
 */
export function createKeyFor(
  redis: Redis,
  caller: Principal,
  input: { name: string; scopes: Scope[]; tenant?: string | undefined },
): Promise<ApiKeyRecord & { key: string }> {
  const tenant = input.tenant ?? caller.tenant;
  if (tenant !== caller.tenant && caller.keyId !== 'bootstrap') {
    throw new ForbiddenError(
      'admin',
      'Only the bootstrap admin key may create keys for another tenant.',
    );
  }
  return createApiKey(redis, { tenant, name: input.name, scopes: input.scopes });
}
