import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adminKeySettings } from '../support/admin-key.ts';
import { callApi, issueKey } from '../support/api-client.ts';
import { seedDocument } from '../support/knowledge-fixtures.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-document-route-tests';
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  LOG_LEVEL: 'SILENT',
}));

describe('document routes', () => {
  it('lists documents a page at a time, filtered by source', async () => {
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) {
      await seedDocument(redis, 'acme', {
        id,
        title: `Doc ${id}`,
        text: `Text of ${id}.`,
        source: id === 'a5' ? 'wiki' : 'drive',
      });
    }
    const reader = await issueKey(api, ADMIN_KEY, 'acme', ['documents:read']);

    const first = await callApi(api, 'GET', '/v1/documents?limit=2', reader);
    const second = await callApi(
      api,
      'GET',
      `/v1/documents?limit=2&cursor=${first.json.nextCursor}`,
      reader,
    );
    const third = await callApi(
      api,
      'GET',
      `/v1/documents?limit=2&cursor=${second.json.nextCursor}`,
      reader,
    );

    const pages = [first, second, third].map((page) =>
      page.json.documents.map((doc: { id: string }) => doc.id),
    );
    expect(pages).toEqual([['a1', 'a2'], ['a3', 'a4'], ['a5']]);
    expect(third.json.nextCursor).toBeNull();
    const wiki = await callApi(api, 'GET', '/v1/documents?source=wiki', reader);
    expect(wiki.json.documents).toEqual([
      expect.objectContaining({ id: 'a5', source: 'wiki', chunkCount: 1 }),
    ]);
  });

  it('reports the SHA-256 of each file as uploaded, so a client can skip an unchanged one', async () => {
    const writer = await issueKey(api, ADMIN_KEY, 'hashes', ['documents:read', 'documents:write']);
    const file = Buffer.from('# Leave\n\nTwenty-five days a year.\n');
    const text = 'Parking is free for staff.';
    const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

    await callApi(api, 'POST', '/v1/documents', writer, {
      filename: 'leave.md',
      source: 'hr/leave.md',
      contentBase64: file.toString('base64'),
    });
    await callApi(api, 'POST', '/v1/documents', writer, { text, source: 'parking.txt' });

    const listed = await callApi(api, 'GET', '/v1/documents', writer);
    expect(
      listed.json.documents.map((doc: { source: string; fileSha256: string }) => [
        doc.source,
        doc.fileSha256,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['hr/leave.md', sha256(file)],
        ['parking.txt', sha256(text)],
      ]),
    );
  });

  it('reads one document and deletes it so search no longer finds it', async () => {
    await seedDocument(redis, 'acme', {
      id: 'gone',
      title: 'Expense rules',
      text: 'Receipts above fifty euros need approval.',
    });
    const writer = await issueKey(api, ADMIN_KEY, 'acme', ['documents:read', 'documents:write']);

    expect((await callApi(api, 'GET', '/v1/documents/gone', writer)).json).toMatchObject({
      id: 'gone',
      title: 'Expense rules',
    });
    const before = await callApi(api, 'POST', '/v1/search', writer, { query: 'receipts approval' });
    expect(before.json.results[0].documentId).toBe('gone');

    expect((await callApi(api, 'DELETE', '/v1/documents/gone', writer)).status).toBe(204);

    const after = await callApi(api, 'POST', '/v1/search', writer, { query: 'receipts approval' });
    expect(after.json.results.map((hit: { documentId: string }) => hit.documentId)).not.toContain(
      'gone',
    );
    expect((await callApi(api, 'GET', '/v1/documents/gone', writer)).status).toBe(404);
    expect((await callApi(api, 'DELETE', '/v1/documents/gone', writer)).status).toBe(404);
  });

  it('needs documents:write to delete and admin with confirmation to clear', async () => {
    const reader = await issueKey(api, ADMIN_KEY, 'acme', ['documents:read']);
    expect((await callApi(api, 'DELETE', '/v1/documents/a1', reader)).status).toBe(403);
    const admin = await issueKey(api, ADMIN_KEY, 'acme', ['admin']);
    expect((await callApi(api, 'DELETE', '/v1/documents?confirm=other', admin)).status).toBe(400);
    expect((await callApi(api, 'DELETE', '/v1/documents', admin)).status).toBe(400);

    const cleared = await callApi(api, 'DELETE', '/v1/documents?confirm=acme', admin);
    expect(cleared.status).toBe(200);
    expect(cleared.json.deleted).toBeGreaterThanOrEqual(5);
    expect((await callApi(api, 'GET', '/v1/documents', admin)).json.documents).toEqual([]);
  });

  it('keeps each tenant’s documents out of reach of the others', async () => {
    await seedDocument(redis, 'globex', {
      id: 'plan',
      title: 'Globex plan',
      text: 'Confidential merger plan.',
    });
    const acme = await issueKey(api, ADMIN_KEY, 'acme', ['admin']);

    expect((await callApi(api, 'GET', '/v1/documents/plan', acme)).status).toBe(404);
    expect((await callApi(api, 'DELETE', '/v1/documents/plan', acme)).status).toBe(404);
    expect(
      (await callApi(api, 'GET', '/v1/documents', acme)).json.documents.map(
        (doc: { id: string }) => doc.id,
      ),
    ).not.toContain('plan');
    expect((await callApi(api, 'DELETE', '/v1/documents?confirm=globex', acme)).status).toBe(400);

    const globex = await issueKey(api, ADMIN_KEY, 'globex', ['documents:read']);
    expect((await callApi(api, 'GET', '/v1/documents/plan', globex)).status).toBe(200);
  });
});
