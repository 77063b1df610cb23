import type { Redis } from '../redis/index.ts';
import { type ApiKeyRecord, createApiKey } from './api-key-store.ts';
import { ForbiddenError } from './errors.ts';
import type { Principal } from './principal.ts';
import type { Scope } from './scopes.ts';

/**
 * The tenant a key-management request acts on: the caller's own, or any tenant when the
 * caller is the bootstrap admin key (the platform operator's, for onboarding and incidents).
 */
export function targetTenant(caller: Principal, requested: string | undefined): string {
  const tenant = requested ?? caller.tenant;
  if (tenant !== caller.tenant && caller.keyId !== 'bootstrap') {
    throw new ForbiddenError('admin', 'Only the bootstrap admin key may act on another tenant.');
  }
  return tenant;
}

/**
 * Creates a key in the caller's tenant. Only the bootstrap admin key (the platform
 * operator's) may create keys for another tenant, which is how tenants are onboarded.
 */
export function createKeyFor(
  redis: Redis,
  caller: Principal,
  input: { name: string; scopes: Scope[]; tenant?: string | undefined },
): Promise<ApiKeyRecord & { key: string }> {
  const tenant = targetTenant(caller, input.tenant);
  return createApiKey(redis, { tenant, name: input.name, scopes: input.scopes });
}
