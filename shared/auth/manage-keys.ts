import { hasScope, mayActOn, type Principal, tenantOf } from '../platform/principal/index.ts';
import type { Redis } from '../platform/redis/index.ts';
import { type ApiKeyRecord, createApiKey, type NewApiKey } from './api-key-store.ts';
import { ForbiddenError } from './errors.ts';

/**
 * The tenant a key-management request acts on: the caller's own, or any tenant when the
 * caller is the bootstrap admin key (the platform operator's, for onboarding and incidents).
 */
export function targetTenant(caller: Principal, requested: string | undefined): string {
  const tenant = requested ?? tenantOf(caller);
  if (!mayActOn(caller, tenant)) {
    throw new ForbiddenError('admin', 'Only the bootstrap admin key may act on another tenant.');
  }
  return tenant;
}

/**
 * Creates a key in the caller's tenant, within its `maxKeys` quota. Only the bootstrap
 * admin key (the platform operator's) may create keys for another tenant, which is how
 * tenants are onboarded. No key grants a scope its creator lacks: today only `admin`
 * keys reach this, and `admin` implies every scope, but the rule must not hang on that.
 */
export async function createKeyFor(
  redis: Redis,
  caller: Principal,
  input: Omit<NewApiKey, 'tenant'> & { tenant?: string | undefined },
  maxKeys: number,
): Promise<ApiKeyRecord & { key: string }> {
  const tenant = targetTenant(caller, input.tenant);
  const lacking = input.scopes.find((scope) => !hasScope(caller, scope));
  if (lacking) {
    throw new ForbiddenError(lacking, `This API key cannot grant "${lacking}", which it lacks.`);
  }
  return createApiKey(redis, { ...input, tenant }, maxKeys);
}
