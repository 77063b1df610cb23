import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type LocalOpenAiServer, startOpenAiServer } from '#local/openai-server.ts';
import { DocumentExtractor } from '#shared/knowledge/documents/document-extractor.ts';
import { isDocumentError } from '#shared/knowledge/documents/errors.ts';
import { documentLimits } from '#shared/knowledge/documents/limits.ts';
import { createEmbedder } from '#shared/knowledge/embeddings/index.ts';
import { KnowledgeIndex, type NamespaceRef } from '#shared/knowledge/index/index.ts';
import {
  type IngestionDependencies,
  ingestDocument,
  ingestResponseSchema,
  toIngestResponse,
} from '#shared/knowledge/ingestion/index.ts';
import type { Config } from '#shared/platform/config/index.ts';
import { parseConfig } from '#shared/platform/config/index.ts';
import {
  buildDocxBomb,
  buildEncryptedPdf,
  buildPdf,
  deeplyNestedHtml,
  garbage,
  MARKDOWN_HANDBOOK,
  oneLine,
  truncate,
  utf8,
  withWrongMagic,
} from '#test/support/document-fixtures.ts';
import { useLocalRedis } from '#test/support/local-redis.ts';

const BATCH_LIMIT = 3;
const redis = useLocalRedis();
let server: LocalOpenAiServer;
let config: Config;
let extractor: DocumentExtractor;
let namespaceCounter = 0;

beforeAll(async () => {
  server = await startOpenAiServer();
  config = parseConfig({
    OPENAI_API_KEY: server.apiKey,
    OPENAI_BASE_URL: server.baseUrl,
    EMBEDDING_DIMENSIONS: '64',
    EMBEDDING_BATCH_MAX_INPUTS: String(BATCH_LIMIT),
    OPENAI_MAX_RETRIES: '0',
  });
  extractor = new DocumentExtractor({ limits: documentLimits(config.limits) });
});
afterAll(async () => {
  await extractor.close();
  await server.close();
});
beforeEach(() => server.clearRequests());

function freshRef(): NamespaceRef {
  namespaceCounter += 1;
  return { tenant: 'acme', namespace: `kb-ingest-${namespaceCounter}` };
}

/** A new index per test: a fresh container, no cache carried over. */
function dependencies(): IngestionDependencies & { index: KnowledgeIndex } {
  return {
    extractor,
    index: new KnowledgeIndex(redis.client()),
    embedder: createEmbedder(config),
    maxChunks: config.limits.documentMaxChunks,
  };
}

const embeddingRequests = () => server.requestsTo('/embeddings').length;
const smallChunks = { strategy: 'markdown', size: 100, overlap: 0 } as const;

describe('ingestDocument', () => {
  test('extracts, chunks, embeds in batches and indexes a document whole', async () => {
    // Prepare
    const deps = dependencies();
    const ref = freshRef();

    // Act
    const result = await ingestDocument(deps, ref, {
      input: { bytes: utf8(MARKDOWN_HANDBOOK), filename: 'handbook.md' },
      source: 'wiki/handbook.md',
      metadata: { team: 'platform' },
      chunking: smallChunks,
    });

    // Assess
    expect(result).toMatchObject({
      status: 'created',
      type: 'markdown',
      mediaType: 'text/markdown',
      pageCount: 0,
    });
    expect(result.chunkCount).toBeGreaterThan(BATCH_LIMIT);
    expect(embeddingRequests()).toBe(Math.ceil(result.chunkCount / BATCH_LIMIT));
    expect(result.record).toMatchObject({
      id: result.documentId,
      title: 'Engineering Handbook',
      source: 'wiki/handbook.md',
      metadata: { team: 'platform', tags: 'onboarding, process', documentType: 'markdown' },
    });
    const [hit] = await deps.index.search(ref, {
      text: 'rollback job on-call',
      k: 1,
      mode: 'lexical',
    });
    expect(hit).toMatchObject({
      documentId: result.documentId,
      headingPath: ['Engineering Handbook', 'Deployments', 'Rollback procedure'],
      pageRange: null,
    });
    expect(MARKDOWN_HANDBOOK).toContain(hit?.text);
  });

  test('keeps page ranges and offsets of PDF chunks for citations', async () => {
    // Prepare
    const deps = dependencies();
    const ref = freshRef();
    const bytes = await buildPdf({
      title: 'Security Policy',
      pages: [['Passwords rotate yearly.'], ['Laptops use disk encryption.']],
    });

    // Act
    const result = await ingestDocument(deps, ref, {
      input: { bytes, filename: 'policy.pdf' },
      chunking: { strategy: 'recursive', size: 30, overlap: 0 },
    });
    const [hit] = await deps.index.search(ref, { text: 'disk encryption', k: 1, mode: 'lexical' });

    // Assess
    expect(result).toMatchObject({ status: 'created', type: 'pdf', pageCount: 2, chunkCount: 2 });
    expect(result.record.metadata).toMatchObject({ documentType: 'pdf', pageCount: '2' });
    expect(hit).toMatchObject({
      text: 'Laptops use disk encryption.',
      pageRange: { from: 2, to: 2 },
      offsets: { start: 26, end: 54 },
    });
  });

  test('the same content again is a no-op: no embedding request, nothing written', async () => {
    // Prepare
    const deps = dependencies();
    const ref = freshRef();
    const request = {
      input: { bytes: utf8(MARKDOWN_HANDBOOK), filename: 'handbook.md' },
      source: 'wiki/handbook.md',
    };
    const first = await ingestDocument(deps, ref, request);
    const keysBefore = await redis.allKeys();
    const versionKey = `agent:${ref.tenant}:index:${ref.namespace}:version`;
    const versionBefore = await redis.client().get(versionKey);
    server.clearRequests();

    // Act
    const again = await ingestDocument(dependencies(), ref, request);

    // Assess
    expect(again).toMatchObject({ status: 'unchanged', documentId: first.documentId });
    expect(again.chunkCount).toBe(first.chunkCount);
    expect(toIngestResponse(first).status).toBe(201);
    const response = toIngestResponse(again);
    expect(response.status).toBe(200);
    expect(ingestResponseSchema.parse(response.body)).toEqual({
      id: first.documentId,
      status: 'unchanged',
      type: 'markdown',
      mediaType: 'text/markdown',
      title: 'Engineering Handbook',
      source: 'wiki/handbook.md',
      pageCount: 0,
      chunkCount: first.chunkCount,
      contentHash: first.record.contentHash,
      indexedAt: first.record.indexedAt,
    });
    expect(embeddingRequests()).toBe(0);
    expect(await redis.allKeys()).toEqual(keysBefore);
    expect(await redis.client().get(versionKey)).toBe(versionBefore);
  });

  test('without a source, identical bytes dedupe by content and new content adds a document', async () => {
    // Prepare
    const deps = dependencies();
    const ref = freshRef();

    // Act
    const first = await ingestDocument(deps, ref, { input: { bytes: utf8('Alpha notes.') } });
    const same = await ingestDocument(deps, ref, { input: { bytes: utf8('Alpha notes.') } });
    const other = await ingestDocument(deps, ref, { input: { bytes: utf8('Beta notes.') } });

    // Assess
    expect([first.status, same.status, other.status]).toEqual(['created', 'unchanged', 'created']);
    expect(same.documentId).toBe(first.documentId);
    expect(other.documentId).not.toBe(first.documentId);
    expect(embeddingRequests()).toBe(2);
    expect((await deps.index.listDocuments(ref)).length).toBe(2);
  });

  test('a new version under the same source replaces the old one, never both searchable', async () => {
    // Prepare
    const deps = dependencies();
    const ref = freshRef();
    const source = 'drive/pricing.md';
    const first = await ingestDocument(deps, ref, {
      input: { bytes: utf8('# Pricing\n\nThe old plan costs zebra dollars.'), filename: 'p.md' },
      source,
    });

    // Act
    const second = await ingestDocument(deps, ref, {
      input: { bytes: utf8('# Pricing\n\nThe new plan costs giraffe dollars.'), filename: 'p.md' },
      source,
    });
    const reader = new KnowledgeIndex(redis.client());

    // Assess
    expect(second).toMatchObject({ status: 'replaced', documentId: first.documentId });
    for (const index of [deps.index, reader]) {
      expect(await index.search(ref, { text: 'zebra', k: 5, mode: 'lexical' })).toEqual([]);
      const hits = await index.search(ref, { text: 'giraffe', k: 5, mode: 'lexical' });
      expect(hits.map((hit) => hit.documentId)).toEqual([first.documentId]);
    }
    expect((await reader.listDocuments(ref)).map((record) => record.id)).toEqual([
      first.documentId,
    ]);
  });

  test('other chunking options are not "the same content"', async () => {
    // Prepare
    const deps = dependencies();
    const ref = freshRef();
    const input = { bytes: utf8(MARKDOWN_HANDBOOK), filename: 'handbook.md' };
    await ingestDocument(deps, ref, { input, source: 'h.md' });
    server.clearRequests();

    // Act
    const rechunked = await ingestDocument(deps, ref, {
      input,
      source: 'h.md',
      chunking: smallChunks,
    });

    // Assess
    expect(rechunked.status).toBe('replaced');
    expect(embeddingRequests()).toBeGreaterThan(0);
  });

  test('a hostile or broken file writes nothing and calls no model', async () => {
    // Prepare
    const deps = dependencies();
    const ref = freshRef();
    const keysBefore = await redis.allKeys();
    const pdf = await buildPdf({ pages: [['x']] });

    // Act
    const codes: string[] = [];
    for (const input of [
      { bytes: truncate(pdf, 0.5), filename: 'cut.pdf' },
      { bytes: withWrongMagic(pdf), filename: 'magic.pdf' },
      { bytes: await buildEncryptedPdf(), filename: 'secret.pdf' },
      { bytes: buildDocxBomb(20), filename: 'bomb.docx' },
      { bytes: oneLine(50 * 1024 * 1024), filename: 'line.txt' },
      { bytes: garbage(4096), filename: 'garbage.md' },
      { bytes: new Uint8Array(), filename: 'empty.md' },
      { bytes: utf8(deeplyNestedHtml(10_000)), filename: 'nested.html' },
    ]) {
      await ingestDocument(deps, ref, { input, source: input.filename }).catch((error: unknown) => {
        codes.push(isDocumentError(error) ? error.code : String(error));
      });
    }

    // Assess
    expect(codes).toEqual([
      'corrupt_file',
      'content_type_mismatch',
      'encrypted_pdf',
      'archive_bomb',
      'document_too_large',
      'binary_content',
      'empty_document',
      'nesting_too_deep',
    ]);
    expect(embeddingRequests()).toBe(0);
    expect(await redis.allKeys()).toEqual(keysBefore);
  });

  test('an ingest whose caller was already answered (aborted while embedding) writes nothing', async () => {
    // Prepare: the embeddings request hangs; the function answers 503 and aborts meanwhile.
    const deps = dependencies();
    const ref = freshRef();
    const keysBefore = await redis.allKeys();
    server.failNext({ kind: 'hang', ms: 2_000, path: '/embeddings' });
    const aborted = new AbortController();
    setTimeout(() => aborted.abort(), 200);

    // Act
    const outcome = await ingestDocument(deps, ref, {
      input: { bytes: utf8(MARKDOWN_HANDBOOK), filename: 'handbook.md' },
      source: 'handbook.md',
      signal: aborted.signal,
    }).catch((error: unknown) => error);

    // Assess: the request in flight was cut off, not retried, and nothing was written.
    expect(outcome).toBeInstanceOf(Error);
    expect(embeddingRequests()).toBe(1);
    expect(await redis.allKeys()).toEqual(keysBefore);
  });
});
