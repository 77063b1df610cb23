import { describe, expect, it } from 'vitest';
import { createApiKey, createKeyFor, verifyApiKey } from '#shared/auth/index.ts';
import { adminKeySettings } from '../support/admin-key.ts';
import { callApi } from '../support/api-client.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-api-key-limit-tests-01';
const MAX_KEYS = 3;
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  RATE_LIMIT_PER_MINUTE: '1000',
  TENANT_MAX_API_KEYS: String(MAX_KEYS),
  LOG_LEVEL: 'SILENT',
}));
const DAY_MS = 24 * 60 * 60 * 1000;

function createKey(key: string, body: Record<string, unknown>) {
  return callApi(api, 'POST', '/v1/keys', key, { name: 'test key', scopes: ['chat'], ...body });
}

describe('API key expiry', () => {
  it('stores, lists and enforces expiresAt: the key works before it and gets key_expired after', async () => {
    // Prepare
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const created = await createKey(ADMIN_KEY, { tenant: 'expiry', scopes: ['admin'], expiresAt });
    expect(created.status).toBe(201);
    expect(created.json.expiresAt).toBe(expiresAt);

    // Act / Assess: before
    const before = await callApi(api, 'GET', '/v1/keys', created.json.key);
    expect(before.status).toBe(200);
    expect(before.json.keys).toEqual([expect.objectContaining({ id: created.json.id, expiresAt })]);

    // Act / Assess: after
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
    const after = await callApi(api, 'GET', '/v1/keys', created.json.key);
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('key_expired');
    // A wrong secret for the same id learns nothing about the expiry.
    const guessed = `${created.json.key.slice(0, -4)}AAAA`;
    const guess = await callApi(api, 'GET', '/v1/keys', guessed);
    expect(guess.json.error.code).toBe('unauthorized');
  });

  it('keeps an expired record a while, then lets Redis delete it', async () => {
    // Prepare / Act: creation time injected, so the expiry can lie in the past of `now`.
    const now = new Date();
    const expiresAt = new Date(now.getTime() + DAY_MS);
    const created = await createApiKey(
      redis.client(),
      { tenant: 'retention', name: 'n', scopes: ['chat'], expiresAt },
      10,
      now,
    );

    // Assess
    const principal = await verifyApiKey(redis.client(), created.key, now.getTime());
    expect(principal?.tenant).toBe('retention');
    await expect(
      verifyApiKey(redis.client(), created.key, expiresAt.getTime()),
    ).rejects.toMatchObject({ code: 'key_expired', statusCode: 401 });
    const ttl = await redis.client().pttl(`agent:retention:apikey:${created.id}`);
    expect(ttl).toBeGreaterThan(30 * DAY_MS);
    expect(ttl).toBeLessThanOrEqual(31 * DAY_MS);
  });

  it('refuses an expiry in the past or more than two years ahead', async () => {
    const past = await createKey(ADMIN_KEY, { expiresAt: '2020-01-01T00:00:00Z' });
    const far = await createKey(ADMIN_KEY, {
      expiresAt: new Date(Date.now() + 731 * DAY_MS).toISOString(),
    });
    const notADate = await createKey(ADMIN_KEY, { expiresAt: 'tomorrow' });
    for (const response of [past, far, notADate]) {
      expect(response.status).toBe(400);
      expect(response.json.error.issues[0].path).toBe('body.expiresAt');
    }
  });
});

describe('API key quota', () => {
  it('refuses a key past TENANT_MAX_API_KEYS with 409 quota_exceeded, writing nothing', async () => {
    // Prepare: a tenant admin key and keys up to the quota.
    const admin = await createKey(ADMIN_KEY, { tenant: 'quota', scopes: ['admin'] });
    for (let index = 1; index < MAX_KEYS; index += 1) {
      expect((await createKey(admin.json.key, {})).status).toBe(201);
    }
    const keysBefore = await redis.allKeys();

    // Act
    const refused = await createKey(admin.json.key, {});
    const onboarding = await createKey(ADMIN_KEY, { tenant: 'quota' });

    // Assess
    for (const response of [refused, onboarding]) {
      expect(response.status).toBe(409);
      expect(response.json.error.code).toBe('quota_exceeded');
      expect(response.json.error.message).toContain('TENANT_MAX_API_KEYS');
    }
    expect((await redis.allKeys()).filter((key) => key.includes(':apikey'))).toEqual(
      keysBefore.filter((key) => key.includes(':apikey')),
    );
    const listed = await callApi(api, 'GET', '/v1/keys', admin.json.key);
    expect(listed.json.keys).toHaveLength(MAX_KEYS);
    // Revoking one frees its place.
    const someone = listed.json.keys.find((key: { id: string }) => key.id !== admin.json.id);
    await callApi(api, 'DELETE', `/v1/keys/${someone.id}`, admin.json.key);
    expect((await createKey(admin.json.key, {})).status).toBe(201);
  });

  it('lets exactly the free places through when creations race', async () => {
    const tenant = 'quota-race';
    const results = await Promise.all(
      Array.from({ length: 6 }, () => createKey(ADMIN_KEY, { tenant })),
    );
    expect(results.filter((result) => result.status === 201)).toHaveLength(MAX_KEYS);
    expect(results.filter((result) => result.status === 409)).toHaveLength(6 - MAX_KEYS);
  });

  it('does not count expired keys against the quota', async () => {
    const tenant = 'quota-expired';
    const now = new Date();
    for (let index = 0; index < MAX_KEYS; index += 1) {
      await createApiKey(
        redis.client(),
        { tenant, name: 'old', scopes: ['chat'], expiresAt: new Date(now.getTime() + 1_000) },
        MAX_KEYS,
        now,
      );
    }
    const later = new Date(now.getTime() + 2_000);
    await expect(
      createApiKey(redis.client(), { tenant, name: 'new', scopes: ['chat'] }, MAX_KEYS, later),
    ).resolves.toMatchObject({ tenant });
  });

  it('needs the admin scope to create keys, so no key grants a scope it lacks', async () => {
    const writer = await createKey(ADMIN_KEY, { tenant: 'scoped', scopes: ['documents:write'] });
    const escalation = await createKey(writer.json.key, { scopes: ['admin'] });
    expect(escalation.status).toBe(403);
    expect(escalation.json.error.code).toBe('forbidden');
    // And should a narrower caller ever reach key creation, the rule holds there too.
    const caller = {
      kind: 'api-key' as const,
      keyId: 'k',
      tenant: 'scoped',
      scopes: ['documents:write' as const],
    };
    const direct = createKeyFor(redis.client(), caller, { name: 'x', scopes: ['admin'] }, 10);
    await expect(direct).rejects.toMatchObject({ code: 'forbidden', statusCode: 403 });
  });
});
