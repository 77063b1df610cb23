import { beforeEach, describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '#shared/knowledge/embeddings/index.ts';
import {
  type ChunkInput,
  type DocumentInput,
  EmbedderMismatchError,
  IndexWriteConflictError,
  indexDocument,
  KnowledgeIndex,
  LOG_RETENTION,
  memoryNamespace,
  type NamespaceRef,
  reembedNamespace,
} from '#shared/knowledge/index/index.ts';
import { useLocalRedis } from '#test/support/local-redis.ts';

const redisFixture = useLocalRedis();
const embedder = createOfflineEmbedder(64);
let namespaceCounter = 0;

function freshRef(tenant = 'acme'): NamespaceRef {
  namespaceCounter += 1;
  return { tenant, namespace: `kb-${namespaceCounter}` };
}

function chunk(text: string, extra: Partial<ChunkInput> = {}): ChunkInput {
  return {
    text,
    headingPath: ['Guide'],
    pageRange: { from: 1, to: 1 },
    offsets: { start: 0, end: text.length },
    ...extra,
  };
}

function doc(id: string, extra: Partial<DocumentInput> = {}): DocumentInput {
  return { id, title: `Title of ${id}`, source: `${id}.md`, contentHash: `hash-${id}`, ...extra };
}

async function put(
  index: KnowledgeIndex,
  ref: NamespaceRef,
  document: DocumentInput,
  texts: string[],
) {
  return indexDocument(
    index,
    embedder,
    ref,
    document,
    texts.map((text) => chunk(text)),
  );
}

async function searchIds(
  index: KnowledgeIndex,
  ref: NamespaceRef,
  text: string,
  mode: 'hybrid' | 'vector' | 'lexical' = 'hybrid',
) {
  const [vector] = await embedder.embed([text]);
  const hits = await index.search(ref, {
    text,
    vector,
    embedder: { id: embedder.id, dimensions: embedder.dimensions },
    k: 10,
    mode,
  });
  return hits.map((hit) => `${hit.documentId}#${hit.ordinal}`);
}

describe('knowledge index on real Redis', () => {
  let index: KnowledgeIndex;
  beforeEach(() => {
    index = new KnowledgeIndex(redisFixture.client());
  });

  it('finds an indexed document in every mode, with what a citation needs', async () => {
    // Prepare
    const ref = freshRef();
    await put(index, ref, doc('volcano'), [
      'Basaltic lava flows from shield volcanoes.',
      'Pyroclastic flows are fast.',
    ]);
    await put(index, ref, doc('tides'), ['The moon drives ocean tides twice a day.']);

    // Act
    const [vector] = await embedder.embed(['ocean tides and the moon']);
    const hits = await index.search(ref, {
      text: 'ocean tides and the moon',
      vector,
      k: 3,
      mode: 'hybrid',
    });

    // Assess
    expect(hits[0]).toMatchObject({
      documentId: 'tides',
      title: 'Title of tides',
      source: 'tides.md',
      headingPath: ['Guide'],
      pageRange: { from: 1, to: 1 },
      ordinal: 0,
      text: 'The moon drives ocean tides twice a day.',
    });
    expect(hits[0]?.snippet).toContain('tides');
    expect(hits[0]?.vectorScore).toBeGreaterThan(0);
    expect(hits[0]?.lexicalScore).toBeGreaterThan(0);
    expect((await searchIds(index, ref, 'pyroclastic', 'lexical'))[0]).toBe('volcano#1');
    expect((await searchIds(index, ref, 'basaltic lava', 'vector'))[0]).toBe('volcano#0');
  });

  it('replaces a document whole: old chunks and old content hash are gone', async () => {
    // Prepare
    const ref = freshRef();
    await put(index, ref, doc('policy', { contentHash: 'v1' }), [
      'Refunds within 30 days.',
      'Shipping takes a week.',
    ]);

    // Act
    const record = await put(index, ref, doc('policy', { contentHash: 'v2' }), [
      'Refunds within 14 days.',
    ]);

    // Assess
    expect(record.chunkCount).toBe(1);
    expect(await searchIds(index, ref, 'shipping week', 'lexical')).toEqual([]);
    expect(await searchIds(index, ref, 'refunds', 'lexical')).toEqual(['policy#0']);
    expect(await index.findByContentHash(ref, 'v1')).toBeNull();
    expect((await index.findByContentHash(ref, 'v2'))?.id).toBe('policy');
    expect((await index.listDocuments(ref)).map((d) => d.contentHash)).toEqual(['v2']);
  });

  it('stores a document too large for one request in staged parts and reads it back whole', async () => {
    // Prepare: ~4 MB of chunks, so several parts and several read requests.
    const ref = freshRef();
    const texts = Array.from(
      { length: 1200 },
      (_, i) => `Section ${i} ${'lorem ipsum dolor sit amet '.repeat(120)} marker${i}`,
    );

    // Act
    const record = await put(index, ref, doc('big'), texts);

    // Assess
    expect(record.chunkCount).toBe(1200);
    const redis = redisFixture.client();
    const layout = await redis.hget<string>(`agent:acme:index:${ref.namespace}:doc:big`, 'layout');
    expect(Number(layout?.split(':')[1])).toBeGreaterThanOrEqual(8);
    const keys = await redisFixture.allKeys();
    expect(keys.filter((key) => key.includes(':stage:'))).toEqual([]);
    const other = new KnowledgeIndex(redisFixture.client());
    expect(await searchIds(other, ref, 'marker1199', 'lexical')).toEqual(['big#1199']);
    expect((await other.view(ref)).chunkCount).toBe(1200);
    await put(index, ref, doc('big'), texts.slice(0, 700));
    expect((await other.view(ref)).chunkCount).toBe(700);
    expect(await searchIds(other, ref, 'marker1199', 'lexical')).toEqual([]);
  });

  it('deletes a document so no later search returns it', async () => {
    // Prepare
    const ref = freshRef();
    await put(index, ref, doc('gone'), ['Ephemeral content about comets.']);
    await put(index, ref, doc('kept'), ['Lasting content about comets.']);
    const other = new KnowledgeIndex(redisFixture.client());
    expect(await searchIds(other, ref, 'comets')).toHaveLength(2);

    // Act
    const deleted = await index.deleteDocument(ref, 'gone');
    const again = await index.deleteDocument(ref, 'gone');

    // Assess
    expect(deleted).toBe(true);
    expect(again).toBe(false);
    expect(await searchIds(other, ref, 'comets')).toEqual(['kept#0']);
    expect(await searchIds(index, ref, 'comets')).toEqual(['kept#0']);
    expect(await index.getDocument(ref, 'gone')).toBeNull();
    expect(await index.findByContentHash(ref, 'hash-gone')).toBeNull();
  });

  it('filters by document id, source and metadata', async () => {
    // Prepare
    const ref = freshRef();
    await indexDocument(
      index,
      embedder,
      ref,
      doc('a', { source: 'wiki', metadata: { team: 'red' } }),
      [
        chunk('Kubernetes pods restart.'),
        chunk('Kubernetes nodes drain.', { metadata: { team: 'blue' } }),
      ],
    );
    await indexDocument(
      index,
      embedder,
      ref,
      doc('b', { source: 'handbook', metadata: { team: 'blue' } }),
      [chunk('Kubernetes services route traffic.')],
    );
    const [vector] = await embedder.embed(['kubernetes']);
    const search = (filter: object) =>
      index
        .search(ref, { text: 'kubernetes', vector, k: 10, mode: 'hybrid', filter })
        .then((hits) => hits.map((hit) => `${hit.documentId}#${hit.ordinal}`).sort());

    // Act / Assess
    expect(await search({ documentIds: ['b'] })).toEqual(['b#0']);
    expect(await search({ sources: ['wiki'] })).toEqual(['a#0', 'a#1']);
    expect(await search({ metadata: { team: 'blue' } })).toEqual(['a#1', 'b#0']);
    expect(await search({ sources: ['wiki'], metadata: { team: 'red' } })).toEqual(['a#0']);
    expect(await search({ documentIds: ['missing'] })).toEqual([]);
  });

  it('keeps tenants apart: same namespace name, separate keys and results', async () => {
    // Prepare
    const acme = freshRef('acme');
    const globex = { tenant: 'globex', namespace: acme.namespace };
    await put(index, acme, doc('secret'), ['Acme quarterly revenue numbers.']);

    // Act
    const fromGlobex = await searchIds(index, globex, 'quarterly revenue');
    const globexRecords = await index.listDocuments(globex);

    // Assess
    expect(fromGlobex).toEqual([]);
    expect(globexRecords).toEqual([]);
    expect(await index.findByContentHash(globex, 'hash-secret')).toBeNull();
    const keys = await redisFixture.allKeys();
    expect(
      keys
        .filter((key) => key.includes(`:${acme.namespace}:`))
        .every((key) => key.startsWith('agent:acme:')),
    ).toBe(true);
  });

  it('refuses to mix embedders, and re-embedding switches the namespace atomically', async () => {
    // Prepare
    const ref = freshRef();
    await put(index, ref, doc('one'), ['Glaciers carve valleys.']);
    const wider = createOfflineEmbedder(96);
    const before = await redisFixture.allKeys();

    // Act
    const write = indexDocument(index, wider, ref, doc('two'), [chunk('Rivers carve canyons.')]);
    const fresh = new KnowledgeIndex(redisFixture.client());
    const [wideVector] = await wider.embed(['glaciers']);
    const query = fresh.search(ref, {
      text: 'glaciers',
      vector: wideVector,
      embedder: { id: wider.id, dimensions: 96 },
      k: 5,
      mode: 'vector',
    });

    // Assess
    await expect(write).rejects.toBeInstanceOf(EmbedderMismatchError);
    await expect(write).rejects.toThrow(
      /offline:hashed-features-v1 \(64 dimensions\).*96 dimensions/,
    );
    await expect(query).rejects.toBeInstanceOf(EmbedderMismatchError);
    expect(await redisFixture.allKeys()).toEqual(before);

    const result = await reembedNamespace(index, wider, ref);
    expect(result).toEqual({ documents: 1, chunks: 1 });
    await indexDocument(index, wider, ref, doc('two'), [chunk('Rivers carve canyons.')]);
    const hits = await fresh.search(ref, {
      text: 'glaciers',
      vector: wideVector,
      embedder: { id: wider.id, dimensions: 96 },
      k: 5,
      mode: 'vector',
    });
    expect(hits[0]?.documentId).toBe('one');
    expect((await index.getDocument(ref, 'one'))?.dimensions).toBe(96);
    await expect(put(index, ref, doc('three'), ['Old embedder again.'])).rejects.toBeInstanceOf(
      EmbedderMismatchError,
    );
  });

  it('refuses a namespace replacement that raced another write, changing nothing', async () => {
    // Prepare
    const ref = freshRef();
    await put(index, ref, doc('one'), ['Original text.']);
    const { version, documents } = await index.loadDocuments(ref);
    await put(index, ref, doc('two'), ['A write that lands in between.']);

    // Act
    const replace = index.replaceNamespace(
      ref,
      version,
      documents.map((d) => d.record.id),
      [],
      { id: 'x', dimensions: 64 },
    );

    // Assess
    await expect(replace).rejects.toBeInstanceOf(IndexWriteConflictError);
    expect((await index.listDocuments(ref)).map((d) => d.id)).toEqual(['one', 'two']);
  });

  it('clears a namespace and lets another embedder start afresh', async () => {
    // Prepare
    const ref = freshRef();
    await put(index, ref, doc('one'), ['Alpha.']);
    await put(index, ref, doc('two'), ['Beta.']);
    const other = new KnowledgeIndex(redisFixture.client());
    expect(await searchIds(other, ref, 'alpha', 'lexical')).toHaveLength(1);

    // Act
    const removed = await index.clearNamespace(ref);

    // Assess
    expect(removed).toBe(2);
    expect(await searchIds(other, ref, 'alpha', 'lexical')).toEqual([]);
    expect(await index.listDocuments(ref)).toEqual([]);
    const keys = await redisFixture.allKeys();
    expect(keys.filter((key) => key.includes(`:${ref.namespace}:`)).sort()).toEqual([
      `agent:acme:index:${ref.namespace}:log`,
      `agent:acme:index:${ref.namespace}:version`,
    ]);
    await indexDocument(index, createOfflineEmbedder(32), ref, doc('three'), [chunk('Gamma.')]);
    expect((await index.getDocument(ref, 'three'))?.dimensions).toBe(32);
  });
});

describe('freshness across two containers sharing one Redis', () => {
  it('sees the other container’s writes on the very next search, in one round trip when nothing changed', async () => {
    // Prepare
    const ref = freshRef();
    const writer = new KnowledgeIndex(redisFixture.client());
    const reader = new KnowledgeIndex(redisFixture.client());
    await put(writer, ref, doc('first'), ['Saturn has rings of ice.']);
    await searchIds(reader, ref, 'saturn');
    const gateway = redisFixture.stack.gateway;

    // Act / Assess: warm and unchanged costs exactly one round trip.
    gateway.resetRequestCount();
    expect(await searchIds(reader, ref, 'saturn rings')).toEqual(['first#0']);
    expect(gateway.requestCount).toBe(1);

    // A write elsewhere: the next search applies just that document (check + fetch).
    await put(writer, ref, doc('second'), ['Jupiter has a great red spot.']);
    gateway.resetRequestCount();
    expect(await searchIds(reader, ref, 'jupiter red spot')).toContain('second#0');
    expect(gateway.requestCount).toBe(2);

    await writer.deleteDocument(ref, 'first');
    expect(await searchIds(reader, ref, 'saturn rings')).not.toContain('first#0');

    // The writer's own writes need no fetch.
    await writer.view(ref);
    gateway.resetRequestCount();
    await put(writer, ref, doc('third'), ['Neptune is windy.']);
    expect(await searchIds(writer, ref, 'neptune windy')).toContain('third#0');
    expect(gateway.requestCount).toBe(2);
  });

  it('costs a new, empty namespace one round trip even in a cold container', async () => {
    // Prepare
    const ref = freshRef();
    const reader = new KnowledgeIndex(redisFixture.client());
    redisFixture.stack.gateway.resetRequestCount();

    // Act
    const hits = await searchIds(reader, ref, 'anything');

    // Assess
    expect(hits).toEqual([]);
    expect(redisFixture.stack.gateway.requestCount).toBe(1);
    await put(new KnowledgeIndex(redisFixture.client()), ref, doc('first'), [
      'Now there is something.',
    ]);
    expect(await searchIds(reader, ref, 'something', 'lexical')).toEqual(['first#0']);
  });

  it('shares the caller’s pipeline: the freshness check rides along with other reads', async () => {
    // Prepare
    const ref = freshRef();
    const redis = redisFixture.client();
    const reader = new KnowledgeIndex(redis);
    await put(new KnowledgeIndex(redisFixture.client()), ref, doc('memo'), ['Lunch is at noon.']);
    await reader.view(ref);
    await redis.set('agent:acme:conversation:1', 'hello');
    const gateway = redisFixture.stack.gateway;
    gateway.resetRequestCount();

    // Act
    const pipeline = redis.pipeline();
    pipeline.get('agent:acme:conversation:1');
    const pending = reader.prepare(pipeline, ref);
    pipeline.get('agent:acme:conversation:1');
    const replies = await pipeline.exec();
    const view = await pending.resolve(replies);
    const [vector] = await embedder.embed(['lunch']);
    const hits = await view.search({ text: 'lunch', vector, k: 3, mode: 'hybrid' });

    // Assess
    expect(replies[0]).toBe('hello');
    expect(replies.at(-1)).toBe('hello');
    expect(hits.map((hit) => hit.documentId)).toEqual(['memo']);
    expect(gateway.requestCount).toBe(1);
  });

  it('queues a memory entry in the caller’s transaction: one atomic round trip with the turn', async () => {
    // Prepare
    const redis = redisFixture.client();
    const writer = new KnowledgeIndex(redis);
    const reader = new KnowledgeIndex(redisFixture.client());
    const ref = { tenant: 'acme', namespace: memoryNamespace('U123') };
    await reader.view(ref);
    const text = 'I prefer answers in French.';
    const [vector] = await embedder.embed([text]);
    const embeddings = {
      embedder: { id: embedder.id, dimensions: 64 },
      vectors: [vector as Float32Array],
    };
    redisFixture.stack.gateway.resetRequestCount();

    // Act
    const transaction = redis.multi();
    transaction.rpush('agent:acme:conversation:c1:turns', 'user turn', 'assistant turn');
    const done = writer.queuePutDocument(
      transaction,
      ref,
      doc('turn-1', { source: 'chat' }),
      [chunk(text)],
      embeddings,
    );
    const record = done(await transaction.exec());

    // Assess
    expect(redisFixture.stack.gateway.requestCount).toBe(1);
    expect(record.id).toBe('turn-1');
    expect(await redis.llen('agent:acme:conversation:c1:turns')).toBe(2);
    expect(await searchIds(reader, ref, 'prefer french answers', 'lexical')).toEqual(['turn-1#0']);

    const other = createOfflineEmbedder(32);
    const [small] = await other.embed(['x']);
    const mismatched = redis.multi();
    const refused = writer.queuePutDocument(mismatched, ref, doc('turn-2'), [chunk('x')], {
      embedder: { id: other.id, dimensions: 32 },
      vectors: [small as Float32Array],
    });
    const replies = await mismatched.exec();
    expect(() => refused(replies)).toThrow(EmbedderMismatchError);
  });

  it('reloads in full when it fell further behind than the change log reaches', async () => {
    // Prepare
    const ref = freshRef();
    const writer = new KnowledgeIndex(redisFixture.client());
    const reader = new KnowledgeIndex(redisFixture.client());
    await put(writer, ref, doc('steady'), ['Steady content about lighthouses.']);
    await reader.view(ref);

    // Act: more writes than the log keeps.
    for (let i = 0; i <= LOG_RETENTION; i += 1)
      await put(writer, ref, doc('busy'), [`Revision ${i} of busy.`]);
    redisFixture.stack.gateway.resetRequestCount();
    const view = await reader.view(ref);

    // Assess
    expect(redisFixture.stack.gateway.requestCount).toBeGreaterThan(2);
    expect(view.documentCount).toBe(2);
    expect(await searchIds(reader, ref, `revision ${LOG_RETENTION}`, 'lexical')).toEqual([
      'busy#0',
    ]);
  });

  it('never mixes parts of two writes when a large document is replaced mid-read', async () => {
    // Prepare: a multi-part document, and a reader whose Redis client lets a replacement
    // land between its first request and the requests for the remaining parts.
    const ref = freshRef();
    const writer = new KnowledgeIndex(redisFixture.client());
    const generation = (g: number, count: number) =>
      Array.from({ length: count }, (_, i) => `gen${g} part ${i} ${'filler words '.repeat(200)}`);
    await put(writer, ref, doc('big'), generation(1, 1000));
    const readerRedis = redisFixture.client();
    // A cold view makes three requests before the rest of the parts: the freshness check,
    // the transaction listing documents, and the first parts. Replace the document there.
    const pipeline = readerRedis.pipeline.bind(readerRedis);
    let created = 0;
    let replaced = false;
    readerRedis.pipeline = (() => {
      const next = pipeline();
      created += 1;
      if (created === 3) {
        const exec = next.exec.bind(next);
        next.exec = (async (...args: Parameters<typeof exec>) => {
          await put(writer, ref, doc('big'), generation(2, 1000));
          replaced = true;
          return exec(...args);
        }) as typeof next.exec;
      }
      return next;
    }) as typeof readerRedis.pipeline;
    const reader = new KnowledgeIndex(readerRedis);

    // Act
    const view = await reader.view(ref);

    // Assess
    expect(replaced).toBe(true);
    expect(view.chunkCount).toBe(1000);
    const hits = await view.search({ text: 'gen1 gen2', k: 1000, mode: 'lexical' });
    expect(new Set(hits.map((hit) => hit.text.split(' ')[0]))).toEqual(new Set(['gen2']));
    expect(hits).toHaveLength(1000);
  });

  it('never shows a reader half of a replaced document', async () => {
    // Prepare
    const ref = freshRef();
    const writer = new KnowledgeIndex(redisFixture.client());
    const reader = new KnowledgeIndex(redisFixture.client());
    const generation = (g: number, count: number) =>
      Array.from({ length: count }, (_, i) => `generation${g} shared words part ${i}`);
    await put(writer, ref, doc('doc'), generation(0, 3));
    await reader.view(ref);

    // Act: replace repeatedly while the other container searches.
    const seen: string[][] = [];
    let writing = true;
    const writes = (async () => {
      for (let g = 1; g <= 12; g += 1)
        await put(writer, ref, doc('doc'), generation(g, 3 + (g % 4)));
      writing = false;
    })();
    while (writing) {
      const hits = await reader.search(ref, { text: 'shared words', k: 50, mode: 'lexical' });
      seen.push(hits.map((hit) => hit.text.split(' ')[0] as string));
    }
    await writes;

    // Assess: every search saw exactly one whole generation.
    expect(seen.length).toBeGreaterThan(0);
    for (const texts of seen) {
      const generations = new Set(texts);
      expect(generations.size).toBe(1);
      const g = Number([...generations][0]?.replace('generation', ''));
      expect(texts).toHaveLength(g === 0 ? 3 : 3 + (g % 4));
    }
  });
});
