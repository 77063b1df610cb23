import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalOpenAiServer, startOpenAiServer } from '#local/openai-server.ts';
import { adminKeySettings } from '../support/admin-key.ts';
import { callApi, issueKey } from '../support/api-client.ts';
import {
  buildDocxBomb,
  buildPdf,
  garbage,
  MARKDOWN_HANDBOOK,
  truncate,
} from '../support/document-fixtures.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-ingest-route-tests-1';
let model: LocalOpenAiServer;
beforeAll(async () => {
  model = await startOpenAiServer();
});
afterAll(async () => model.close());

const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  OPENAI_API_KEY: model.apiKey,
  OPENAI_BASE_URL: model.baseUrl,
  OPENAI_MAX_RETRIES: '0',
  EMBEDDING_DIMENSIONS: '256',
  DOCUMENT_MAX_BYTES: String(512 * 1024),
  LOG_LEVEL: 'SILENT',
}));
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
let writer = '';

describe('POST /v1/documents', () => {
  beforeAll(async () => {
    writer = await issueKey(api, ADMIN_KEY, 'acme', ['documents:read', 'documents:write']);
  });

  it('ingests a PDF, then treats the same file as unchanged without embedding it again', async () => {
    const pdf = await buildPdf({
      title: 'Remote work handbook',
      author: 'People Team',
      pages: [
        ['Remote work is allowed three days a week.'],
        ['Home office stipends are 300 euros a year.'],
      ],
    });
    const body = {
      contentBase64: base64(pdf),
      filename: 'remote.pdf',
      source: 'drive://handbooks/remote.pdf',
    };
    model.clearRequests();

    const first = await callApi(api, 'POST', '/v1/documents', writer, body);
    const embeddingsAfterFirst = model.requestsTo('/embeddings').length;
    const again = await callApi(api, 'POST', '/v1/documents', writer, body);

    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      status: 'created',
      type: 'pdf',
      title: 'Remote work handbook',
      pageCount: 2,
    });
    expect(embeddingsAfterFirst).toBe(1);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: first.json.id, status: 'unchanged' });
    expect(model.requestsTo('/embeddings')).toHaveLength(1);

    const search = await callApi(api, 'POST', '/v1/search', writer, {
      query: 'home office stipend',
    });
    expect(search.json.results[0]).toMatchObject({
      documentId: first.json.id,
      // Both short pages fit one chunk, so its citation spans them.
      pageRange: { from: 1, to: 2 },
    });
  });

  it('replaces a document by source so search never sees both versions', async () => {
    const source = 'wiki://policies/travel';
    const v1 = await callApi(api, 'POST', '/v1/documents', writer, {
      text: 'Travel: book trains under four hours.',
      contentType: 'text/plain',
      source,
    });
    const v2 = await callApi(api, 'POST', '/v1/documents', writer, {
      text: 'Travel: book trains under five hours.',
      contentType: 'text/plain',
      source,
    });

    expect(v2.status).toBe(200);
    expect(v2.json).toMatchObject({ id: v1.json.id, status: 'replaced' });
    const search = await callApi(api, 'POST', '/v1/search', writer, {
      query: 'book trains hours',
      k: 10,
    });
    const texts = search.json.results.filter(
      (hit: { documentId: string }) => hit.documentId === v1.json.id,
    );
    expect(texts).toHaveLength(1);
    expect(texts[0].text).toContain('five hours');
  });

  it('holds a title taken from the file to 300 characters', async () => {
    const html = `<html><head><title>${'Very long title '.repeat(1_000)}</title></head><body><p>Short body.</p></body></html>`;
    const created = await callApi(api, 'POST', '/v1/documents', writer, {
      text: html,
      contentType: 'text/html',
      metadata: { toString: 'kept as data' },
    });
    expect(created.status).toBe(201);
    expect(created.json.title.length).toBeLessThanOrEqual(300);

    const filtered = await callApi(api, 'POST', '/v1/search', writer, {
      query: 'short body',
      filter: { metadata: { toString: 'kept as data' } },
    });
    expect(filtered.json.results.map((hit: { documentId: string }) => hit.documentId)).toEqual([
      created.json.id,
    ]);
    const reserved = await callApi(api, 'POST', '/v1/documents', writer, {
      text: 'x',
      metadata: JSON.parse('{"__proto__": "polluted"}'),
    });
    expect(reserved.status).toBe(400);
  });

  it('keeps heading paths from Markdown for citations', async () => {
    const created = await callApi(api, 'POST', '/v1/documents', writer, {
      text: MARKDOWN_HANDBOOK,
      contentType: 'text/markdown',
      source: 'handbook.md',
    });
    expect(created.status).toBe(201);
    const search = await callApi(api, 'POST', '/v1/search', writer, {
      query: 'handbook',
      filter: { documentIds: [created.json.id] },
    });
    expect(
      search.json.results.some((hit: { headingPath: string[] }) => hit.headingPath.length > 0),
    ).toBe(true);
  });

  it('refuses hostile or broken files with 4xx and writes nothing', async () => {
    const pdf = await buildPdf({ pages: [['A page that will be cut short.']] });
    const cases: [unknown, number, string][] = [
      [{ contentBase64: base64(truncate(pdf, 0.5)), filename: 'cut.pdf' }, 422, 'corrupt_file'],
      [{ contentBase64: base64(buildDocxBomb(80)), filename: 'bomb.docx' }, 422, 'archive_bomb'],
      [{ contentBase64: base64(garbage(4096)), filename: 'notes.md' }, 422, 'binary_content'],
      [{ text: '   ', contentType: 'text/plain' }, 422, 'empty_document'],
      [{ text: 'x'.repeat(600 * 1024), contentType: 'text/plain' }, 413, 'payload_too_large'],
      [{ text: 'hello', contentType: 'application/pdf' }, 400, 'invalid_request'],
    ];
    const before = (await redis.allKeys()).filter((key) => !key.includes(':ratelimit:'));
    model.clearRequests();

    for (const [body, status, code] of cases) {
      const response = await callApi(api, 'POST', '/v1/documents', writer, body);
      expect({ status: response.status, code: response.json.error.code }).toEqual({ status, code });
    }

    const after = (await redis.allKeys()).filter((key) => !key.includes(':ratelimit:'));
    expect(after).toEqual(before);
    expect(model.requestsTo('/embeddings')).toHaveLength(0);
    const healthy = await callApi(api, 'POST', '/v1/documents', writer, {
      text: 'Still healthy after hostile files.',
      contentType: 'text/plain',
    });
    expect(healthy.status).toBe(201);
  });

  it('answers 503 with Retry-After when the embedding model fails, and a retry then succeeds', async () => {
    const body = {
      text: 'Parental leave is sixteen weeks.',
      contentType: 'text/plain',
      source: 'leave.txt',
    };
    model.failNext({ kind: 'status', status: 500, path: '/embeddings' });
    const failed = await callApi(api, 'POST', '/v1/documents', writer, body);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBeTruthy();
    expect(failed.json.error).toMatchObject({
      code: 'model_unavailable',
      requestId: expect.any(String),
    });

    const retried = await callApi(api, 'POST', '/v1/documents', writer, body);
    expect(retried.status).toBe(201);
  });

  it('needs the documents:write scope', async () => {
    const reader = await issueKey(api, ADMIN_KEY, 'acme', ['documents:read']);
    expect((await callApi(api, 'POST', '/v1/documents', reader, { text: 'x' })).status).toBe(403);
  });
});
