import { describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '#shared/embeddings/offline-embedder.ts';
import {
  indexDocument,
  KNOWLEDGE_BASE_NAMESPACE,
  KnowledgeIndex,
} from '#shared/knowledge-index/index.ts';
import { createRedisClient } from '#shared/redis/index.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-search-route-tests-01';
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ADMIN_API_KEY: ADMIN_KEY,
  LOG_LEVEL: 'SILENT',
}));

async function keyFor(tenant: string, scopes: string[]): Promise<string> {
  const response = await api.request('/v1/keys', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `${tenant} key`, scopes, tenant }),
  });
  return ((await response.json()) as { key: string }).key;
}

async function seed(tenant: string, id: string, title: string, text: string) {
  // Written the way ingestion writes, with the same offline embedder the API uses.
  const index = new KnowledgeIndex(createRedisClient(redis.stack));
  await indexDocument(
    index,
    createOfflineEmbedder(512),
    { tenant, namespace: KNOWLEDGE_BASE_NAMESPACE },
    { id, title, source: `${id}.md`, contentHash: id },
    [
      {
        text,
        headingPath: ['Policies'],
        pageRange: { from: 2, to: 2 },
        offsets: { start: 0, end: text.length },
      },
    ],
  );
}

async function search(key: string, body: unknown) {
  const response = await api.request('/v1/search', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

describe('POST /v1/search', () => {
  it('returns ranked chunks with what a citation needs', async () => {
    await seed(
      'acme',
      'travel',
      'Travel policy',
      'Employees book economy class for flights under six hours.',
    );
    await seed(
      'acme',
      'security',
      'Security policy',
      'Laptops must use full disk encryption and a screen lock.',
    );
    const reader = await keyFor('acme', ['documents:read']);

    const { status, json } = await search(reader, {
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
    const reader = await keyFor('acme', ['documents:read']);
    const lexical = await search(reader, { query: 'disk encryption', mode: 'lexical' });
    expect(lexical.json.results.map((hit: { documentId: string }) => hit.documentId)).toEqual([
      'security',
    ]);
    const filtered = await search(reader, { query: 'policy', filter: { documentIds: ['travel'] } });
    expect(
      filtered.json.results.every((hit: { documentId: string }) => hit.documentId === 'travel'),
    ).toBe(true);
  });

  it('never returns another tenant’s chunks', async () => {
    await seed(
      'globex',
      'secret-plan',
      'Globex plan',
      'Economy class flights only for the merger team.',
    );
    const acmeReader = await keyFor('acme', ['documents:read']);
    const { json } = await search(acmeReader, { query: 'economy class flights merger', k: 50 });
    expect(json.results.map((hit: { documentId: string }) => hit.documentId)).not.toContain(
      'secret-plan',
    );
    const byId = await search(acmeReader, {
      query: 'merger',
      filter: { documentIds: ['secret-plan'] },
    });
    expect(byId.json.results).toEqual([]);
  });

  it('requires the documents:read scope and a valid body', async () => {
    const chatOnly = await keyFor('acme', ['chat']);
    expect((await search(chatOnly, { query: 'x' })).status).toBe(403);
    const reader = await keyFor('acme', ['documents:read']);
    const invalid = await search(reader, { query: '', k: 500, mode: 'fuzzy' });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
      'body.k',
      'body.mode',
      'body.query',
    ]);
  });
});
