import { TenancyError } from './errors.ts';
import { isTenant } from './tenant.ts';

/**
 * Every Redis key the platform writes belongs to one tenant and starts with
 * `agent:{tenant}:`; this module is the only place such a key is spelled out, so a store
 * cannot reach another tenant's data by building a key of its own.
 *
 * Global keys (not under a tenant): none today. @upstash/ratelimit keeps its Lua scripts in
 * Redis's script cache (EVALSHA), not under a key, and with `analytics: false` it writes
 * nothing outside the prefix it is given. A new global key must be added to
 * {@link GLOBAL_KEYS}, which `test/integration/tenancy.test.ts` checks Redis against.
 */
export const KEY_PREFIX = 'agent';

/** Redis keys that belong to no tenant (see above); each one says why. */
export const GLOBAL_KEYS: readonly { pattern: RegExp; why: string }[] = [];

/** The Redis keys of one tenant. */
export interface TenantKeys {
  readonly tenant: string;
  /** `agent:{tenant}:` — everything of the tenant starts with it. */
  readonly prefix: string;
  /** Hash: one API key's record. */
  apiKey(id: string): string;
  /** Set: the ids of the tenant's API keys. */
  readonly apiKeys: string;
  /** Sorted set: API key id by expiry (ms). */
  readonly apiKeyExpiries: string;
  /** Hash: the tenant's `documents` and `chunks`, for quotas. */
  readonly usage: string;
  /** Hash: the assistant's `persona` and core `instructions`, each JSON `{text, updatedAt}`. */
  readonly promptSettings: string;
  /** Base of one knowledge-index namespace's keys (the index adds `:meta`, `:doc:…`). */
  index(namespace: string): string;
  /**
   * The identifier to give @upstash/ratelimit, whose `prefix` is {@link KEY_PREFIX}: it
   * stores `agent:{identifier}:…`, so the identifier starts with the tenant.
   */
  rateLimitIdentifier(budget: 'key' | 'slack', subject: string): string;
}

/** The keys of `tenant`; throws {@link TenancyError} unless it is a valid tenant id. */
export function tenantKeys(tenant: string): TenantKeys {
  if (!isTenant(tenant)) throw new TenancyError(tenant);
  const prefix = `${KEY_PREFIX}:${tenant}:`;
  return {
    tenant,
    prefix,
    apiKey: (id) => `${prefix}apikey:${id}`,
    apiKeys: `${prefix}apikeys`,
    apiKeyExpiries: `${prefix}apikey-expiries`,
    usage: `${prefix}usage`,
    promptSettings: `${prefix}prompt-settings`,
    index: (namespace) => `${prefix}index:${namespace}`,
    rateLimitIdentifier: (budget, subject) => `${tenant}:ratelimit:${budget}:${subject}`,
  };
}

/** The tenant a Redis key belongs to, or `undefined` for a key outside every tenant. */
export function tenantOfKey(key: string): string | undefined {
  const [prefix, tenant] = key.split(':', 2);
  return prefix === KEY_PREFIX && tenant !== undefined && isTenant(tenant) ? tenant : undefined;
}
