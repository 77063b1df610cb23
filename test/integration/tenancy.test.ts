import { describe, expect, it } from 'vitest';
import { GLOBAL_KEYS, tenantOfKey } from '#shared/platform/tenancy/index.ts';
import { adminKeySettings } from '../support/admin-key.ts';
import { callApi } from '../support/api-client.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-tenancy-tests-000001';
const TENANTS = ['acme', 'globex'] as const;
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  RATE_LIMIT_PER_MINUTE: '8',
  LOG_LEVEL: 'SILENT',
}));

/** Everything a tenant does through the API that writes to Redis, in the order a user would. */
async function workload(tenant: string): Promise<void> {
  const expiresAt = new Date(Date.now() + 60 * 60 * 1000).toISOString();
  const created = await callApi(api, 'POST', '/v1/keys', ADMIN_KEY, {
    name: 'writer',
    scopes: ['documents:read', 'documents:write'],
    tenant,
    expiresAt,
  });
  expect(created.status).toBe(201);
  const writer = created.json.key as string;
  const spare = await callApi(api, 'POST', '/v1/keys', ADMIN_KEY, {
    name: 'spare',
    scopes: ['documents:read'],
    tenant,
    userId: `${tenant}-user`,
  });
  expect(spare.status).toBe(201);

  for (const id of ['travel', 'security']) {
    const ingested = await callApi(api, 'POST', '/v1/documents', writer, {
      text: `The ${id} policy of ${tenant}: book economy, lock laptops, report incidents.`,
      title: `${id} policy`,
      source: `${tenant}://${id}`,
    });
    expect(ingested.status).toBeLessThan(300);
  }
  const search = await callApi(api, 'POST', '/v1/search', writer, { query: 'economy', k: 3 });
  expect(search.status).toBe(200);
  const listed = await callApi(api, 'GET', '/v1/documents', writer);
  expect(listed.status).toBe(200);
  const [first] = listed.json.documents as { id: string }[];
  if (!first) throw new Error('expected an ingested document');
  expect((await callApi(api, 'DELETE', `/v1/documents/${first.id}`, writer)).status).toBe(204);

  // Past the per-key budget: the limiter writes its own keys for this key.
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 6; attempt += 1) {
    statuses.push((await callApi(api, 'GET', '/v1/documents', writer)).status);
  }
  expect(statuses).toContain(429);

  const revoked = await callApi(
    api,
    'DELETE',
    `/v1/keys/${spare.json.id}?tenant=${tenant}`,
    ADMIN_KEY,
  );
  expect(revoked.status).toBe(204);
}

describe('tenancy of Redis keys', () => {
  it('keeps every key written by a mixed workload under one tenant, or on the global list', async () => {
    for (const tenant of TENANTS) await workload(tenant);

    const keys = await redis.allKeys();
    const owners = new Map<string, string[]>();
    const unowned: string[] = [];
    for (const key of keys) {
      const tenant = tenantOfKey(key);
      if (tenant) owners.set(tenant, [...(owners.get(tenant) ?? []), key]);
      else if (!GLOBAL_KEYS.some(({ pattern }) => pattern.test(key))) unowned.push(key);
    }

    expect(unowned).toEqual([]);
    // The operator's own requests count against its admin tenant, `default`.
    expect([...owners.keys()].sort()).toEqual(['acme', 'default', 'globex']);
    for (const tenant of TENANTS) {
      const own = owners.get(tenant) ?? [];
      expect(own.some((key) => key.includes(':apikey:'))).toBe(true);
      expect(own.some((key) => key.endsWith(':apikey-expiries'))).toBe(true);
      expect(own.some((key) => key.includes(':index:kb:'))).toBe(true);
      expect(own.some((key) => key.endsWith(':usage'))).toBe(true);
      expect(own.some((key) => key.includes(':ratelimit:key:'))).toBe(true);
    }
  });
});
