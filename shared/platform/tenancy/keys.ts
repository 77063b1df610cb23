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
  /** Hash: the knowledge base's `documents` and `chunks`, for quotas. */
  readonly usage: string;
  /** Hash: the same counters for users' long-term memory, which no quota caps. */
  readonly memoryUsage: string;
  /** Hash: one conversation's owner, title and timestamps. */
  conversation(id: string): string;
  /** List: one conversation's stored turns, oldest first. */
  conversationTurns(id: string): string;
  /** Sorted set: one user's conversation ids by last activity (ms). */
  userConversations(userId: string): string;
  /** String: a chat request's idempotency record, by the caller's key. */
  chatIdempotency(keyId: string, idempotencyKey: string): string;
  /** Set: the idempotency records holding a user's turns, so forgetting them reaches those. */
  userIdempotencyRecords(userId: string): string;
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
    memoryUsage: `${prefix}memory-usage`,
    conversation: (id) => `${prefix}conv:${id}`,
    conversationTurns: (id) => `${prefix}conv:${id}:turns`,
    userConversations: (userId) => `${prefix}user:${userId}:conversations`,
    chatIdempotency: (keyId, idempotencyKey) => `${prefix}idem:chat:${keyId}:${idempotencyKey}`,
    userIdempotencyRecords: (userId) => `${prefix}user:${userId}:idem`,
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
