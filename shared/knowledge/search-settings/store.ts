import { hashReply, type Redis, redisCall } from '../../platform/redis/index.ts';
import { tenantKeys } from '../../platform/tenancy/index.ts';
import { DEFAULT_VECTOR_WEIGHT, parseVectorWeight } from '../index/fusion.ts';

/** A tenant's search settings as the API shows them. */
export interface SearchSettingsView {
  /** The tenant's vector share of hybrid fusion; `null` while the defaults apply. */
  vectorWeight: number | null;
  source: 'tenant' | 'default';
  /** When the tenant set it (ISO 8601); `null` for the defaults. */
  updatedAt: string | null;
  /** The defaults by embedder: the offline embedder's, and any semantic model's. */
  defaults: { offline: number; semantic: number };
}

/**
 * The tenant's search settings. Searches and chat turns read the weight inside the
 * index's freshness check (no command of their own), so a change applies to the next one.
 */
export async function readSearchSettings(
  redis: Redis,
  tenant: string,
): Promise<SearchSettingsView> {
  const fields = hashReply(await redisCall(() => redis.hgetall(tenantKeys(tenant).searchSettings)));
  // The same reading of the field as the searches', so GET shows the weight they use.
  const weight = parseVectorWeight(fields?.vectorWeight);
  if (weight === undefined) return viewOf(null, null);
  return viewOf(weight, fields?.updatedAt ?? null);
}

/** Sets the tenant's fusion weight (already validated to 0..1). */
export async function writeSearchSettings(
  redis: Redis,
  tenant: string,
  vectorWeight: number,
  now = new Date(),
): Promise<SearchSettingsView> {
  const updatedAt = now.toISOString();
  await redisCall(() =>
    redis.hset(tenantKeys(tenant).searchSettings, {
      vectorWeight: String(vectorWeight),
      updatedAt,
    }),
  );
  return viewOf(vectorWeight, updatedAt);
}

/** Puts the defaults back in effect; nothing to reset is not an error. */
export async function resetSearchSettings(redis: Redis, tenant: string): Promise<void> {
  await redisCall(() => redis.del(tenantKeys(tenant).searchSettings));
}

function viewOf(vectorWeight: number | null, updatedAt: string | null): SearchSettingsView {
  return {
    vectorWeight,
    source: vectorWeight === null ? 'default' : 'tenant',
    updatedAt,
    defaults: { ...DEFAULT_VECTOR_WEIGHT },
  };
}
