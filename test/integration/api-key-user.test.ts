import { describe, expect, it } from 'vitest';
import { authenticate, createApiKey, verifyApiKey } from '#shared/auth/index.ts';
import { adminKeySettings } from '../support/admin-key.ts';
import { callApi } from '../support/api-client.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-user-bound-key-tests';
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  RATE_LIMIT_PER_MINUTE: '1000',
  LOG_LEVEL: 'SILENT',
}));
const auth = { adminApiKeySha256: undefined, adminTenant: 'default' };

function createKey(body: Record<string, unknown>) {
  return callApi(api, 'POST', '/v1/keys', ADMIN_KEY, { name: 'key', scopes: ['chat'], ...body });
}

describe('API keys bound to a user', () => {
  it('store the userId with the key, show it once created and in the listing', async () => {
    // Act
    const bound = await createKey({ tenant: 'bound', userId: 'alice.smith_01' });
    const free = await createKey({ tenant: 'bound' });
    const listed = await callApi(api, 'GET', '/v1/keys?tenant=bound', ADMIN_KEY);

    // Assess
    expect(bound.status).toBe(201);
    expect(bound.json).toMatchObject({ tenant: 'bound', userId: 'alice.smith_01' });
    expect(free.json.userId).toBeNull();
    const byId = Object.fromEntries(
      listed.json.keys.map((key: { id: string; userId: string | null }) => [key.id, key.userId]),
    );
    expect(byId).toEqual({ [bound.json.id]: 'alice.smith_01', [free.json.id]: null });
    expect(await redis.client().hget(`agent:bound:apikey:${bound.json.id}`, 'userId')).toBe(
      'alice.smith_01',
    );
  });

  it('put the userId on the principal, and leave it off for a key bound to no one', async () => {
    // Prepare
    const bound = await createKey({ tenant: 'principal', userId: 'U024BE7LH' });
    const free = await createKey({ tenant: 'principal' });
    const deps = { redis: redis.client(), auth };

    // Act
    const boundPrincipal = await authenticate(`Bearer ${bound.json.key}`, 'chat', deps);
    const freePrincipal = await authenticate(`Bearer ${free.json.key}`, 'chat', deps);

    // Assess
    expect(boundPrincipal).toEqual({
      kind: 'api-key',
      tenant: 'principal',
      keyId: bound.json.id,
      scopes: ['chat'],
      userId: 'U024BE7LH',
    });
    expect(freePrincipal).not.toHaveProperty('userId');
  });

  it('answers 400 naming body.userId for an id outside the pattern, and creates nothing', async () => {
    for (const userId of ['', '.alice', 'a:b', 'a b', 'x'.repeat(121), 42]) {
      const response = await createKey({ tenant: 'refused', userId });
      expect(response.status, String(userId)).toBe(400);
      expect(response.json.error.issues.map((issue: { path: string }) => issue.path)).toEqual([
        'body.userId',
      ]);
    }
    expect(await redis.client().exists('agent:refused:apikeys')).toBe(0);
    expect((await createKey({ tenant: 'refused', userId: 'x'.repeat(120) })).status).toBe(201);
  });

  it('reads a record written before keys had users as bound to no one', async () => {
    // Prepare: a record without the userId field, as older keys have.
    const created = await createApiKey(
      redis.client(),
      { tenant: 'legacy', name: 'old key', scopes: ['chat'] },
      10,
    );
    await redis.client().hdel(`agent:legacy:apikey:${created.id}`, 'userId');

    // Act
    const principal = await verifyApiKey(redis.client(), created.key);
    const listed = await callApi(api, 'GET', '/v1/keys?tenant=legacy', ADMIN_KEY);

    // Assess
    expect(principal).not.toHaveProperty('userId');
    expect(listed.json.keys).toEqual([expect.objectContaining({ id: created.id, userId: null })]);
  });

  it('is described in the OpenAPI document', async () => {
    const { paths } = (await callApi(api, 'GET', '/openapi.json')).json;
    const body = paths['/v1/keys'].post.requestBody.content['application/json'].schema;
    expect(body.properties.userId).toMatchObject({
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$',
    });
    expect(body.required).not.toContain('userId');
  });
});
