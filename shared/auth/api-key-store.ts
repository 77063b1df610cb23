import * as z from 'zod';
import { type ApiKeyPrincipal, type Scope, scopeSchema } from '../platform/principal/index.ts';
import { QuotaExceededError } from '../platform/quotas/errors.ts';
import { type Redis, redisCall } from '../platform/redis/index.ts';
import { tenantKeys } from '../platform/tenancy/index.ts';
import { digestsEqual, generateApiKey, hashApiKey, parseApiKey } from './api-key-format.ts';
import { ApiKeyNotFoundError, KeyExpiredError } from './errors.ts';

/** What is stored per key and returned by listings: never the key or its hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  tenant: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  /** After this instant the key answers 401 `key_expired`; `null`: it never expires. */
  expiresAt: string | null;
  /** The user the key acts for; `null`: not bound to a user. */
  userId: string | null;
}

const FIELDS = [
  'name',
  'scopes',
  'hash',
  'createdAt',
  'lastUsedAt',
  'expiresAt',
  'userId',
] as const;
/**
 * How long Redis keeps an expired key's record: long enough that a client still using it
 * learns why (`key_expired`, not a bare `unauthorized`) and the listing still shows it;
 * afterwards the record is deleted so dead keys do not pile up.
 */
const EXPIRED_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** Writing last-used on every request would double the round trips; once a minute is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

// Only touches a record that still exists, so a concurrent revoke is not undone.
const TOUCH_IF_PRESENT =
  "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1]) end return 0";

/**
 * Creates a key record only while the tenant has fewer live keys than its quota, so two
 * concurrent creations cannot both take the last place. Live: in the index set and not
 * in the expiry set at a time already past. Ids whose records Redis has deleted (past
 * the retention) are dropped from both sets first.
 * KEYS: record, index (set of ids), expiries (sorted set: id by expiry, ms).
 * ARGV: id, maxKeys, nowMs, forgetBeforeMs, expiresAtMs ('' for none), deleteAtMs,
 *       then the record's field/value pairs. Returns 1, or 0 when the quota is full.
 */
const CREATE_WITHIN_QUOTA = `
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[4])) do
  redis.call('SREM', KEYS[2], gone)
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[4])
local live = redis.call('SCARD', KEYS[2]) - redis.call('ZCOUNT', KEYS[3], '-inf', ARGV[3])
if live >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 7))
redis.call('SADD', KEYS[2], ARGV[1])
if ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
  redis.call('PEXPIREAT', KEYS[1], ARGV[6])
end
return 1
`;

const recordKey = (tenant: string, id: string) => tenantKeys(tenant).apiKey(id);
const indexKey = (tenant: string) => tenantKeys(tenant).apiKeys;
const expiriesKey = (tenant: string) => tenantKeys(tenant).apiKeyExpiries;

const storedScopes = z
  .string()
  .transform((value) => value.split(',').filter(Boolean))
  .pipe(z.array(scopeSchema));

/** What a new key is: its tenant, label, scopes, optional expiry and optional user. */
export interface NewApiKey {
  tenant: string;
  name: string;
  scopes: Scope[];
  expiresAt?: Date | undefined;
  /** Binds the key to one user (already validated by `userIdSchema`). */
  userId?: string | undefined;
}

/**
 * Creates a key unless the tenant already has `maxKeys` live keys
 * ({@link QuotaExceededError}, nothing written). The returned `key` is the only time its
 * secret exists outside the caller.
 */
export async function createApiKey(
  redis: Redis,
  input: NewApiKey,
  maxKeys: number,
  now = new Date(),
): Promise<ApiKeyRecord & { key: string }> {
  const { key, id, hash } = generateApiKey(input.tenant);
  const createdAt = now.toISOString();
  const expiresAt = input.expiresAt?.toISOString() ?? null;
  const expiresAtMs = input.expiresAt?.getTime();
  const created = await redisCall(() =>
    redis.eval(
      CREATE_WITHIN_QUOTA,
      [recordKey(input.tenant, id), indexKey(input.tenant), expiriesKey(input.tenant)],
      [
        id,
        String(maxKeys),
        String(now.getTime()),
        String(now.getTime() - EXPIRED_RETENTION_MS),
        expiresAtMs === undefined ? '' : String(expiresAtMs),
        expiresAtMs === undefined ? '' : String(expiresAtMs + EXPIRED_RETENTION_MS),
        ...['name', input.name, 'scopes', input.scopes.join(','), 'hash', hash],
        ...['createdAt', createdAt, 'lastUsedAt', '', 'expiresAt', expiresAt ?? ''],
        ...['userId', input.userId ?? ''],
      ],
    ),
  );
  if (Number(created) !== 1) throw new QuotaExceededError('api_keys', maxKeys);
  return {
    id,
    name: input.name,
    tenant: input.tenant,
    scopes: input.scopes,
    createdAt,
    lastUsedAt: null,
    expiresAt,
    userId: input.userId ?? null,
    key,
  };
}

/**
 * Resolves a presented key to its principal in one round trip, or `undefined` when the
 * key is malformed, unknown or revoked. An expired key throws {@link KeyExpiredError},
 * only once its secret has matched, so the answer reveals nothing to a guesser.
 */
export async function verifyApiKey(
  redis: Redis,
  presented: string,
  now = Date.now(),
): Promise<ApiKeyPrincipal | undefined> {
  const parsed = parseApiKey(presented);
  if (!parsed) return undefined;
  const key = recordKey(parsed.tenant, parsed.id);
  const values = (await redisCall(() => redis.hmget(key, ...FIELDS))) as unknown as
    | (string | null)[]
    | null;
  const [, scopes, hash, , lastUsedAt, expiresAt, userId] = values ?? [];
  if (!hash || !scopes || !digestsEqual(hashApiKey(presented), hash)) return undefined;
  if (expiresAt && now >= Date.parse(expiresAt)) throw new KeyExpiredError();

  if (!lastUsedAt || now - Date.parse(lastUsedAt) > LAST_USED_RESOLUTION_MS) {
    await redisCall(() => redis.eval(TOUCH_IF_PRESENT, [key], [new Date(now).toISOString()]));
  }
  return {
    kind: 'api-key',
    keyId: parsed.id,
    tenant: parsed.tenant,
    scopes: storedScopes.parse(scopes),
    ...(userId ? { userId } : {}),
  };
}

export async function listApiKeys(redis: Redis, tenant: string): Promise<ApiKeyRecord[]> {
  const ids = ((await redisCall(() => redis.smembers(indexKey(tenant)))) as string[]).sort();
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hmget(recordKey(tenant, id), ...FIELDS);
  const rows = (await redisCall(() => pipeline.exec())) as unknown as (string | null)[][];
  return ids.flatMap((id, index) => {
    const [name, scopes, hash, createdAt, lastUsedAt, expiresAt, userId] = rows[index] ?? [];
    if (!hash || name == null || scopes == null || !createdAt) return [];
    return [
      {
        id,
        name,
        tenant,
        scopes: storedScopes.parse(scopes),
        createdAt,
        lastUsedAt: lastUsedAt || null,
        expiresAt: expiresAt || null,
        userId: userId || null,
      },
    ];
  });
}

/** Deletes a key; the next request that presents it gets 401. */
export async function revokeApiKey(redis: Redis, tenant: string, id: string): Promise<void> {
  const transaction = redis.multi();
  transaction.del(recordKey(tenant, id));
  transaction.srem(indexKey(tenant), id);
  transaction.zrem(expiriesKey(tenant), id);
  const [deleted] = (await redisCall(() => transaction.exec())) as [number, number];
  if (deleted === 0) throw new ApiKeyNotFoundError(id);
}
