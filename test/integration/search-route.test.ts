import { describe, expect, it } from 'vitest';
import { adminKeySettings } from '../support/admin-key.ts';
import { callApi, issueKey } from '../support/api-client.ts';
import { seedDocument } from '../support/knowledge-fixtures.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-search-route-tests-01';
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  LOG_LEVEL: 'SILENT',
}));
const ids = (results: { documentId: string }[]) => results.map((hit) => hit.documentId);

describe('POST /v1/search', () => {
  it('returns ranked chunks with what a citation needs', async () => {
    await seedDocument(redis, 'acme', {
      id: 'travel',
      title: 'Travel policy',
      text: 'Employees book economy class for flights under six hours.',
    });
    await seedDocument(redis, 'acme', {
      id: 'security',
      title: 'Security policy',
      text: 'Laptops must use full disk encryption and a screen lock.',
    });
    const reader = await issueKey(api, ADMIN_KEY, 'acme', ['documents:read']);

    const { status, json } = await callApi(api, 'POST', '/v1/search', reader, {
      query: 'which class do we book flights in',
      k: 5,
    });

    expect(status).toBe(200);
    expect(json.mode).toBe('hybrid');
    expect(json.results[0]).toMatchObject({
      documentId: 'travel',
      title: 'Travel policy',
      source: 'travel.md',
      headingPath: ['Policies'],
      pageRange: { from: 2, to: 2 },
      offsets: { start: 0, end: 57 },
    });
    expect(json.results[0].snippet).toContain('economy');
  });

  it('answers lexical mode and applies filters', async () => {
    const reader = await issueKey(api, ADMIN_KEY, 'acme', ['documents:read']);
    const lexical = await callApi(api, 'POST', '/v1/search', reader, {
      query: 'disk encryption',
      mode: 'lexical',
    });
    expect(ids(lexical.json.results)).toEqual(['security']);
    const filtered = await callApi(api, 'POST', '/v1/search', reader, {
      query: 'policy',
      filter: { documentIds: ['travel'] },
    });
    expect(new Set(ids(filtered.json.results))).toEqual(new Set(['travel']));
  });

  it('never returns another tenant’s chunks', async () => {
    await seedDocument(redis, 'globex', {
      id: 'secret-plan',
      title: 'Globex plan',
      text: 'Economy class flights only for the merger team.',
    });
    const acmeReader = await issueKey(api, ADMIN_KEY, 'acme', ['documents:read']);
    const { json } = await callApi(api, 'POST', '/v1/search', acmeReader, {
      query: 'economy class flights merger',
      k: 50,
    });
    expect(ids(json.results)).not.toContain('secret-plan');
    const byId = await callApi(api, 'POST', '/v1/search', acmeReader, {
      query: 'merger',
      filter: { documentIds: ['secret-plan'] },
    });
    expect(byId.json.results).toEqual([]);
  });

  it('requires the documents:read scope and a valid body', async () => {
    const chatOnly = await issueKey(api, ADMIN_KEY, 'acme', ['chat']);
    expect((await callApi(api, 'POST', '/v1/search', chatOnly, { query: 'x' })).status).toBe(403);
    const reader = await issueKey(api, ADMIN_KEY, 'acme', ['documents:read']);
    const invalid = await callApi(api, 'POST', '/v1/search', reader, {
      query: '',
      k: 500,
      mode: 'fuzzy',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
      'body.k',
      'body.mode',
      'body.query',
    ]);
  });
});
