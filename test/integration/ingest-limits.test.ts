import { describe, expect, it } from 'vitest';
import { METADATA_MAX_BYTES, metadataBytes } from '#shared/platform/validation/metadata-size.ts';
import { adminKeySettings } from '../support/admin-key.ts';
import { callApi, issueKey } from '../support/api-client.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-ingest-limit-tests-01';
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  RATE_LIMIT_PER_MINUTE: '1000',
  TENANT_MAX_DOCUMENTS: '2',
  TENANT_MAX_CHUNKS: '1000',
  LOG_LEVEL: 'SILENT',
}));

async function writerFor(tenant: string): Promise<string> {
  return issueKey(api, ADMIN_KEY, tenant, ['documents:read', 'documents:write']);
}

describe('document metadata cap', () => {
  it('refuses caller metadata over 8 KiB with 413 metadata_too_large and writes nothing', async () => {
    // Prepare: one byte over, in multi-byte characters.
    const writer = await writerFor('meta-refused');
    const metadata = { a: 'é'.repeat(2_000), b: 'é'.repeat(2_000), c: 'x'.repeat(190) };
    expect(metadataBytes(metadata)).toBe(METADATA_MAX_BYTES + 1);

    // Act
    const response = await callApi(api, 'POST', '/v1/documents', writer, {
      text: 'A note.',
      metadata,
    });

    // Assess
    expect(response.status).toBe(413);
    expect(response.json.error.code).toBe('metadata_too_large');
    expect(response.json.error.issues[0].path).toBe('body.metadata');
    expect((await redis.allKeys()).filter((key) => key.includes('meta-refused:index'))).toEqual([]);
  });

  it("trims the file's own metadata to what the caller's leaves", async () => {
    // Prepare: front matter far over the cap, and caller metadata taking half of it.
    const writer = await writerFor('meta-trimmed');
    const frontMatter = Array.from({ length: 10 }, (_, index) => `f${index}: ${'v'.repeat(1_900)}`);
    const text = `---\n${frontMatter.join('\n')}\n---\n\n# Notes\n\nLunch is at noon.\n`;
    const callerMetadata = { team: 't'.repeat(2_000), owner: 'o'.repeat(2_000) };

    // Act
    const response = await callApi(api, 'POST', '/v1/documents', writer, {
      text,
      contentType: 'text/markdown',
      metadata: callerMetadata,
    });

    // Assess: the caller's entries whole, the platform's, then as much of the file's as fits.
    expect(response.status).toBe(201);
    const stored = await callApi(api, 'GET', `/v1/documents/${response.json.id}`, writer);
    const { metadata } = stored.json as { metadata: Record<string, string> };
    expect(metadata).toMatchObject({
      ...callerMetadata,
      documentType: 'markdown',
      f0: expect.any(String),
    });
    expect(metadataBytes(metadata)).toBe(METADATA_MAX_BYTES);
    expect(Object.keys(metadata)).not.toContain('f9');
  });
});

describe('document quota through the API', () => {
  it('answers 409 quota_exceeded past TENANT_MAX_DOCUMENTS; a replacement still fits', async () => {
    // Prepare
    const writer = await writerFor('doc-quota');
    const ingest = (source: string, text: string) =>
      callApi(api, 'POST', '/v1/documents', writer, { text, source });
    expect((await ingest('a', 'First note.')).status).toBe(201);
    expect((await ingest('b', 'Second note.')).status).toBe(201);

    // Act
    const refused = await ingest('c', 'Third note.');
    const replaced = await ingest('a', 'First note, revised.');

    // Assess
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('quota_exceeded');
    expect(refused.json.error.message).toContain('TENANT_MAX_DOCUMENTS');
    expect(replaced.status).toBe(200);
    expect(replaced.json.status).toBe('replaced');
    const listed = await callApi(api, 'GET', '/v1/documents', writer);
    expect(listed.json.documents).toHaveLength(2);
  });
});
