import { TenancyError } from './errors.ts';
import { isTenant } from './tenant.ts';

/**
 * Every Redis key the platform writes belongs to one tenant and starts with
 * `agent:{tenant}:`; this module is the only place such a key is spelled out, so a store
 * cannot reach another tenant's data by building a key of its own.
 *
 * Global keys (not under a tenant): only {@link globalKeys}. @upstash/ratelimit keeps its Lua
 * scripts in Redis's script cache (EVALSHA), not under a key, and with `analytics: false` it
 * writes nothing outside the prefix it is given. A new global key must be added to
 * {@link GLOBAL_KEYS}, which `test/integration/tenancy.test.ts` checks Redis against.
 */
export const KEY_PREFIX = 'agent';

/**
 * The prefix of global keys: `_` is not allowed in a tenant id, so no tenant's prefix can
 * ever equal it and {@link tenantOfKey} finds no tenant in it.
 */
const GLOBAL_PREFIX = `${KEY_PREFIX}:_global:`;

/** Redis keys that belong to no tenant (see above); each one says why. */
export const GLOBAL_KEYS: readonly { pattern: RegExp; why: string }[] = [
  {
    pattern: /^agent:_global:slack-workspaces$/,
    why: 'which tenant a Slack workspace belongs to is read before any tenant is known',
  },
];

/** The keys that belong to no tenant, each listed in {@link GLOBAL_KEYS}. */
export const globalKeys = {
  /** Hash: `team:{id}` or `enterprise:{id}` -> the tenant that workspace or org belongs to. */
  slackWorkspaces: `${GLOBAL_PREFIX}slack-workspaces`,
} as const;

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
  /** Hash: search settings, field `vectorWeight` (hybrid fusion's vector share) and `updatedAt`. */
  readonly searchSettings: string;
  /** Base of one knowledge-index namespace's keys (the index adds `:meta`, `:doc:…`). */
  index(namespace: string): string;
  /**
   * The identifier to give @upstash/ratelimit, whose `prefix` is {@link KEY_PREFIX}: it
   * stores `agent:{identifier}:…`, so the identifier starts with the tenant.
   */
  rateLimitIdentifier(budget: 'key' | 'slack', subject: string): string;
  /** Hash: Slack settings, field `{teamId}:{channelId}` per channel and `*` for the tenant. */
  readonly slackChannels: string;
  /** String with a TTL: a Slack event id taken (`pending`, then `queued`), for dedupe. */
  slackEvent(eventId: string): string;
  /** Hash: what the worker posted for one Slack event (state, message ts), for redelivery. */
  slackAnswer(eventId: string): string;
  /** String with a TTL: held by the worker answering one event, so two never run at once. */
  slackAnswerLock(eventId: string): string;
  /** String with a TTL: the bot answered in this thread, so follow-ups need no mention. */
  slackThread(teamId: string, channel: string, threadTs: string): string;
  /** Hash: 👍/👎 votes on answers, field `{channel}:{messageTs}:{userId}`. */
  readonly slackFeedback: string;
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
    searchSettings: `${prefix}search-settings`,
    index: (namespace) => `${prefix}index:${namespace}`,
    rateLimitIdentifier: (budget, subject) => `${tenant}:ratelimit:${budget}:${subject}`,
    slackChannels: `${prefix}slack:channels`,
    slackEvent: (eventId) => `${prefix}slack:event:${eventId}`,
    slackAnswer: (eventId) => `${prefix}slack:answer:${eventId}`,
    slackAnswerLock: (eventId) => `${prefix}slack:answer-lock:${eventId}`,
    slackThread: (teamId, channel, threadTs) =>
      `${prefix}slack:thread:${teamId}:${channel}:${threadTs}`,
    slackFeedback: `${prefix}slack:feedback`,
  };
}

/** The tenant a Redis key belongs to, or `undefined` for a key outside every tenant. */
export function tenantOfKey(key: string): string | undefined {
  const [prefix, tenant] = key.split(':', 2);
  return prefix === KEY_PREFIX && tenant !== undefined && isTenant(tenant) ? tenant : undefined;
}
