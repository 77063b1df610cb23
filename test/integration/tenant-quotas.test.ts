import { describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '#shared/knowledge/embeddings/index.ts';
import {
  type ChunkInput,
  indexDocument,
  KnowledgeIndex,
  type NamespaceRef,
  reembedNamespace,
} from '#shared/knowledge/index/index.ts';
import { QuotaExceededError } from '#shared/platform/quotas/errors.ts';
import { useLocalRedis } from '#test/support/local-redis.ts';

const redisFixture = useLocalRedis();
const embedder = createOfflineEmbedder(32);
let tenantCounter = 0;

function freshTenant(): string {
  tenantCounter += 1;
  return `quota-${tenantCounter}`;
}

function chunks(count: number, prefix = 'text'): ChunkInput[] {
  return Array.from({ length: count }, (_, index) => {
    const text = `${prefix} chunk ${index}`;
    return { text, headingPath: [], pageRange: null, offsets: { start: 0, end: text.length } };
  });
}

function put(index: KnowledgeIndex, ref: NamespaceRef, id: string, chunkCount: number) {
  return indexDocument(
    index,
    embedder,
    ref,
    { id, title: id, source: `${id}.md`, contentHash: `hash-${id}-${chunkCount}` },
    chunks(chunkCount, id),
  );
}

async function usage(tenant: string) {
  const reply = (await redisFixture
    .client()
    .hmget(`agent:${tenant}:usage`, 'documents', 'chunks')) as unknown as (string | null)[];
  return { documents: Number(reply[0] ?? 0), chunks: Number(reply[1] ?? 0) };
}

describe('tenant quotas in the knowledge index', () => {
  it('refuses the document past TENANT_MAX_DOCUMENTS and writes nothing of it', async () => {
    // Prepare
    const tenant = freshTenant();
    const index = new KnowledgeIndex(redisFixture.client(), { quotas: { maxDocuments: 2 } });
    const kb = { tenant, namespace: 'kb' };
    await put(index, kb, 'one', 1);
    await put(index, kb, 'two', 1);
    // A user's memory is counted apart and capped by no quota: chat turns never fail on one.
    await put(index, { tenant, namespace: 'memory.u1' }, 'remembered', 1);
    await put(index, { tenant, namespace: 'memory.u1' }, 'remembered-too', 1);

    // Act
    const refused = await put(index, kb, 'three', 1).catch((error: unknown) => error);

    // Assess: the refused document left no key.
    expect(refused).toBeInstanceOf(QuotaExceededError);
    expect(refused).toMatchObject({ statusCode: 409, code: 'quota_exceeded', quota: 'documents' });
    expect(await index.getDocument(kb, 'three')).toBeNull();
    expect((await redisFixture.allKeys()).filter((key) => key.includes('three'))).toEqual([]);
    expect(await usage(tenant)).toEqual({ documents: 2, chunks: 2 });
    // Replacing a document adds none, so it still fits.
    await expect(put(index, kb, 'one', 1)).resolves.toMatchObject({ id: 'one' });
  });

  it('counts a replacement by its difference in chunks, and a delete frees its share', async () => {
    // Prepare
    const tenant = freshTenant();
    const index = new KnowledgeIndex(redisFixture.client(), { quotas: { maxChunks: 10 } });
    const kb = { tenant, namespace: 'kb' };
    await put(index, kb, 'a', 6);

    // Act / Assess
    await put(index, kb, 'a', 9); // 9, not 6 + 9
    await expect(put(index, kb, 'b', 2)).rejects.toMatchObject({ quota: 'chunks', limit: 10 });
    await put(index, kb, 'b', 1);
    expect(await usage(tenant)).toEqual({ documents: 2, chunks: 10 });
    await index.deleteDocument(kb, 'a');
    expect(await usage(tenant)).toEqual({ documents: 1, chunks: 1 });
    await put(index, kb, 'c', 9);
    expect(await usage(tenant)).toEqual({ documents: 2, chunks: 10 });
  });

  it('lets exactly the quota through when ingests race', async () => {
    // Prepare: separate clients, as separate Lambda containers would have.
    const tenant = freshTenant();
    const kb = { tenant, namespace: 'kb' };
    const writers = Array.from(
      { length: 8 },
      () => new KnowledgeIndex(redisFixture.client(), { quotas: { maxDocuments: 3 } }),
    );

    // Act
    const outcomes = await Promise.allSettled(
      writers.map((writer, index) => put(writer, kb, `race-${index}`, 2)),
    );

    // Assess
    const written = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(written).toHaveLength(3);
    expect(await usage(tenant)).toEqual({ documents: 3, chunks: 6 });
    expect(await writers[0]?.listDocuments(kb)).toHaveLength(3);
  });

  it('moves the counters on a clear and keeps them on a re-embed', async () => {
    // Prepare
    const tenant = freshTenant();
    const index = new KnowledgeIndex(redisFixture.client(), { quotas: { maxChunks: 5 } });
    const kb = { tenant, namespace: 'kb' };
    await put(index, kb, 'a', 2);
    await put(index, kb, 'b', 3);

    // Act / Assess
    await reembedNamespace(index, createOfflineEmbedder(16), kb);
    expect(await usage(tenant)).toEqual({ documents: 2, chunks: 5 });
    await index.clearNamespace(kb);
    expect(await usage(tenant)).toEqual({ documents: 0, chunks: 0 });
    await expect(put(index, kb, 'c', 5)).resolves.toMatchObject({ chunkCount: 5 });
  });
});
