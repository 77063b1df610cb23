import * as z from 'zod';
import { type Redis, redisCall } from '../redis/index.ts';
import { digestsEqual, generateApiKey, hashApiKey, parseApiKey } from './api-key-format.ts';
import { ApiKeyNotFoundError } from './errors.ts';
import type { Principal } from './principal.ts';
import { type Scope, scopeSchema } from './scopes.ts';

/** What is stored per key and returned by listings: never the key or its hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  tenant: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
}

const FIELDS = ['name', 'scopes', 'hash', 'createdAt', 'lastUsedAt'] as const;
/** Writing last-used on every request would double the round trips; once a minute is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

// Only touches a record that still exists, so a concurrent revoke is not undone.
const TOUCH_IF_PRESENT =
  "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1]) end return 0";

const recordKey = (tenant: string, id: string) => `agent:${tenant}:apikey:${id}`;
const indexKey = (tenant: string) => `agent:${tenant}:apikeys`;

const storedScopes = z
  .string()
  .transform((value) => value.split(',').filter(Boolean))
  .pipe(z.array(scopeSchema));

/** Creates a key; the returned `key` is the only time its secret exists outside the caller. */
export async function createApiKey(
  redis: Redis,
  input: { tenant: string; name: string; scopes: Scope[] },
  now = new Date(),
): Promise<ApiKeyRecord & { key: string }> {
  const { key, id, hash } = generateApiKey(input.tenant);
  const createdAt = now.toISOString();
  const transaction = redis.multi();
  transaction.hset(recordKey(input.tenant, id), {
    name: input.name,
    scopes: input.scopes.join(','),
    hash,
    createdAt,
    lastUsedAt: '',
  });
  transaction.sadd(indexKey(input.tenant), id);
  await redisCall(() => transaction.exec());
  return {
    id,
    name: input.name,
    tenant: input.tenant,
    scopes: input.scopes,
    createdAt,
    lastUsedAt: null,
    key,
  };
}

/**
 * Resolves a presented key to its principal in one round trip, or `undefined` when the
 * key is malformed, unknown or revoked.
 */
export async function verifyApiKey(
  redis: Redis,
  presented: string,
  now = Date.now(),
): Promise<Principal | undefined> {
  const parsed = parseApiKey(presented);
  if (!parsed) return undefined;
  const key = recordKey(parsed.tenant, parsed.id);
  const values = (await redisCall(() => redis.hmget(key, ...FIELDS))) as unknown as
    | (string | null)[]
    | null;
  const [, scopes, hash, , lastUsedAt] = values ?? [];
  if (!hash || !scopes || !digestsEqual(hashApiKey(presented), hash)) return undefined;

  if (!lastUsedAt || now - Date.parse(lastUsedAt) > LAST_USED_RESOLUTION_MS) {
    await redisCall(() => redis.eval(TOUCH_IF_PRESENT, [key], [new Date(now).toISOString()]));
  }
  return { keyId: parsed.id, tenant: parsed.tenant, scopes: storedScopes.parse(scopes) };
}

export async function listApiKeys(redis: Redis, tenant: string): Promise<ApiKeyRecord[]> {
  const ids = ((await redisCall(() => redis.smembers(indexKey(tenant)))) as string[]).sort();
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hmget(recordKey(tenant, id), ...FIELDS);
  const rows = (await redisCall(() => pipeline.exec())) as unknown as (string | null)[][];
  return ids.flatMap((id, index) => {
    const [name, scopes, hash, createdAt, lastUsedAt] = rows[index] ?? [];
    if (!hash || name == null || scopes == null || !createdAt) return [];
    return [
      {
        id,
        name,
        tenant,
        scopes: storedScopes.parse(scopes),
        createdAt,
        lastUsedAt: lastUsedAt || null,
      },
    ];
  });
}

/** Deletes a key; the next request that presents it gets 401. */
export async function revokeApiKey(redis: Redis, tenant: string, id: string): Promise<void> {
  const transaction = redis.multi();
  transaction.del(recordKey(tenant, id));
  transaction.srem(indexKey(tenant), id);
  const [deleted] = (await redisCall(() => transaction.exec())) as [number, number];
  if (deleted === 0) throw new ApiKeyNotFoundError(id);
}
