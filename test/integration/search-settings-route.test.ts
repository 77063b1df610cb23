import { describe, expect, it } from 'vitest';
import { DEFAULT_VECTOR_WEIGHT } from '#shared/knowledge/index/fusion.ts';
import { adminKeySettings } from '../support/admin-key.ts';
import { callApi, issueKey } from '../support/api-client.ts';
import { seedDocument } from '../support/knowledge-fixtures.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-search-settings-route-tests';
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  RATE_LIMIT_PER_MINUTE: '1000',
  LOG_LEVEL: 'SILENT',
}));
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('search settings', () => {
  it("set the tenant's fusion weight, which the next search uses unless the request sets its own", async () => {
    // Prepare
    await seedDocument(redis, 'weights', {
      id: 'travel',
      title: 'Travel policy',
      text: 'Employees book economy class for flights under six hours.',
    });
    const admin = await issueKey(api, ADMIN_KEY, 'weights', ['admin', 'documents:read']);
    const search = (body: Record<string, unknown> = {}) =>
      callApi(api, 'POST', '/v1/search', admin, { query: 'economy flights', ...body });

    // Act
    const before = await callApi(api, 'GET', '/v1/config/search', admin);
    const defaultSearch = await search();
    const put = await callApi(api, 'PUT', '/v1/config/search', admin, { vectorWeight: 0.6 });
    const tenantSearch = await search();
    const requestSearch = await search({ vectorWeight: 0.25 });
    const lexicalSearch = await search({ mode: 'lexical' });
    const reset = await callApi(api, 'DELETE', '/v1/config/search', admin);
    const afterReset = await search();

    // Assess
    expect(before.json).toEqual({
      vectorWeight: null,
      source: 'default',
      updatedAt: null,
      defaults: DEFAULT_VECTOR_WEIGHT,
    });
    // No model key here: the offline embedder's default.
    expect(defaultSearch.json.vectorWeight).toBe(DEFAULT_VECTOR_WEIGHT.offline);
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ vectorWeight: 0.6, source: 'tenant' });
    expect(put.json.updatedAt).toMatch(ISO_INSTANT);
    expect(tenantSearch.json.vectorWeight).toBe(0.6);
    expect(requestSearch.json.vectorWeight).toBe(0.25);
    expect(lexicalSearch.json.vectorWeight).toBeNull();
    expect(reset.status).toBe(204);
    expect(afterReset.json.vectorWeight).toBe(DEFAULT_VECTOR_WEIGHT.offline);
    expect(tenantSearch.json.results[0].documentId).toBe('travel');
  });

  it.each([
    [{ vectorWeight: 1.5 }, 'vectorWeight'],
    [{ vectorWeight: -0.1 }, 'vectorWeight'],
    [{ vectorWeight: '0.5' }, 'vectorWeight'],
    [{ weight: 0.5 }, 'weight'],
  ])('refuses %j with a 400 naming the field', async (body, field) => {
    const admin = await issueKey(api, ADMIN_KEY, 'weights-bad', ['admin']);
    const put = await callApi(api, 'PUT', '/v1/config/search', admin, body);
    const got = await callApi(api, 'GET', '/v1/config/search', admin);
    expect(put.status).toBe(400);
    expect(JSON.stringify(put.json)).toContain(field);
    expect(got.json.source).toBe('default');
  });

  it('refuses a search with a weight outside 0..1', async () => {
    const reader = await issueKey(api, ADMIN_KEY, 'weights-bad', ['documents:read']);
    const response = await callApi(api, 'POST', '/v1/search', reader, {
      query: 'anything',
      vectorWeight: 2,
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.json)).toContain('vectorWeight');
  });

  it('are for administrators only', async () => {
    const reader = await issueKey(api, ADMIN_KEY, 'weights-reader', ['documents:read']);
    const put = await callApi(api, 'PUT', '/v1/config/search', reader, { vectorWeight: 0.5 });
    expect(put.status).toBe(403);
  });
});
