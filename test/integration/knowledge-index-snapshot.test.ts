import type { Redis } from '@upstash/redis';
import { describe, expect, it } from 'vitest';
import { forgetUser } from '#shared/chat/memory/manage-memory.ts';
import { createOfflineEmbedder } from '#shared/knowledge/embeddings/index.ts';
import {
  type ChunkInput,
  type DocumentInput,
  indexDocument,
  KnowledgeIndex,
  memoryNamespace,
  type NamespaceRef,
  reembedNamespace,
  type SearchMode,
  type SearchQuery,
} from '#shared/knowledge/index/index.ts';
import { NamespaceSnapshot } from '#shared/knowledge/index/namespace-snapshot.ts';
import { SnapshotStore } from '#shared/knowledge/index/snapshot-store.ts';
import { createBulkReader } from '#shared/platform/redis/index.ts';
import { useLocalRedis } from '#test/support/local-redis.ts';

const redisFixture = useLocalRedis();
const embedder = createOfflineEmbedder(64);
const identity = { id: embedder.id, dimensions: embedder.dimensions };
let namespaceCounter = 0;

function freshRef(): NamespaceRef {
  namespaceCounter += 1;
  return { tenant: 'acme', namespace: `kb-snap-${namespaceCounter}` };
}

/** A container that never writes snapshots on its own, so each test decides when. */
function container(redis: Redis = redisFixture.client()): KnowledgeIndex {
  return new KnowledgeIndex(redis, { snapshots: false });
}

const TOPICS = [
  'Glaciers carve valleys as they slowly move downhill.',
  'Volcanoes erupt basaltic lava that cools into rock.',
  'Ocean tides rise and fall twice a day with the moon.',
  'Rivers deposit silt in wide deltas near the sea.',
  'Deserts get less than 250 millimetres of rain a year.',
  'Coral reefs grow in warm, shallow and clear water.',
];

function chunkOf(text: string, ordinal: number, metadata?: Record<string, string>): ChunkInput {
  return {
    text,
    headingPath: ['Earth', `Part ${ordinal}`],
    pageRange: ordinal % 2 === 0 ? { from: ordinal + 1, to: ordinal + 2 } : null,
    offsets: { start: ordinal * 100, end: ordinal * 100 + text.length },
    ...(metadata ? { metadata } : {}),
  };
}

async function putDocument(index: KnowledgeIndex, ref: NamespaceRef, id: string, seed: number) {
  const document: DocumentInput = {
    id,
    title: `Notes ${id}`,
    source: `${id}.md`,
    contentHash: `hash-${id}-${seed}`,
    metadata: { team: seed % 2 === 0 ? 'geo' : 'ocean' },
  };
  const chunks = [0, 1, 2].map((ordinal) =>
    chunkOf(
      `${TOPICS[(seed + ordinal) % TOPICS.length]} Note ${id} “${ordinal}” ✓ 𝄞`,
      ordinal,
      ordinal === 1 ? { level: seed % 3 === 0 ? 'intro' : 'advanced' } : undefined,
    ),
  );
  await indexDocument(index, embedder, ref, document, chunks);
}

async function queries(text: string): Promise<SearchQuery[]> {
  const [vector] = await embedder.embed([text]);
  const modes: SearchMode[] = ['hybrid', 'vector', 'lexical'];
  return [
    ...modes.map((mode) => ({ text, vector, embedder: identity, k: 8, mode })),
    { text, vector, embedder: identity, k: 8, mode: 'hybrid', filter: { sources: ['d3.md'] } },
    {
      text,
      vector,
      embedder: identity,
      k: 8,
      mode: 'hybrid',
      filter: { metadata: { team: 'geo' } },
    },
    {
      text,
      vector,
      embedder: identity,
      k: 8,
      mode: 'lexical',
      filter: { metadata: { level: 'intro' } },
    },
  ];
}

async function searchAll(index: KnowledgeIndex, ref: NamespaceRef, text: string) {
  const view = await index.view(ref);
  return Promise.all((await queries(text)).map((query) => view.search(query)));
}

async function ids(index: KnowledgeIndex, ref: NamespaceRef, text: string, mode: SearchMode) {
  const [vector] = await embedder.embed([text]);
  const hits = await index.search(ref, { text, vector, embedder: identity, k: 50, mode });
  return hits.map((hit) => `${hit.documentId}#${hit.ordinal}`);
}

/** Commands the gateway ran for one operation, by name. */
async function commandsDuring(operation: () => Promise<unknown>): Promise<Map<string, number>> {
  const { gateway } = redisFixture.stack;
  gateway.resetCommandCount();
  await operation();
  return new Map(gateway.commandsByName);
}

async function snapshotKeys(ref: NamespaceRef): Promise<string[]> {
  return (await redisFixture.allKeys()).filter((key) =>
    key.startsWith(`agent:acme:index:${ref.namespace}:snapshot`),
  );
}

type Pipeline = ReturnType<Redis['pipeline']>;
type SetArgs = unknown[];

/** A client whose snapshot segment writes go through `write` instead of `SET`. */
function interceptSegmentWrites(
  write: (
    inner: Pipeline,
    set: (key: string, ...rest: SetArgs) => Pipeline,
    key: string,
    rest: SetArgs,
  ) => Pipeline,
): Redis {
  const client = redisFixture.client();
  const pipeline = client.pipeline.bind(client);
  client.pipeline = (() => {
    const inner = pipeline();
    const set = inner.set.bind(inner) as (key: string, ...rest: SetArgs) => Pipeline;
    inner.set = ((key: string, ...rest: SetArgs) =>
      key.includes(':snapshot:')
        ? write(inner, set, key, rest)
        : set(key, ...rest)) as Pipeline['set'];
    return inner;
  }) as Redis['pipeline'];
  return client;
}

async function seed(ref: NamespaceRef, documents = 8): Promise<KnowledgeIndex> {
  const writer = container();
  for (let i = 0; i < documents; i += 1) await putDocument(writer, ref, `d${i}`, i);
  return writer;
}

/**
 * A cold container whose reads of a small namespace's text segment (its segment 1) wait
 * until `release`, so the text a cold load leaves in Redis stays there.
 */
function coldContainerWithoutText(): { cold: KnowledgeIndex; release: () => void } {
  const { url, token } = redisFixture.stack;
  const direct = createBulkReader({ url, token });
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const bulkReader = {
    async readInto(keys: readonly string[], targets: readonly Uint8Array[]) {
      if (keys.some((key) => key.endsWith(':1'))) await held;
      return direct.readInto(keys, targets);
    },
  };
  const cold = new KnowledgeIndex(redisFixture.client(), { snapshots: false, bulkReader });
  return { cold, release };
}

describe('stored snapshots of a namespace', () => {
  it('gives a cold container exactly the results of a full load, without reading documents', async () => {
    // Prepare
    const ref = freshRef();
    const writer = await seed(ref);
    await writer.deleteDocument(ref, 'd5');
    await putDocument(writer, ref, 'd2', 7);
    const fullyLoaded = container();
    const expected = await searchAll(fullyLoaded, ref, 'glaciers and volcanoes in the ocean');
    expect(await writer.writeSnapshot(ref)).toBe('written');

    // Act
    const cold = container();
    const used = await commandsDuring(() => cold.view(ref));
    const actual = await searchAll(cold, ref, 'glaciers and volcanoes in the ocean');

    // Assess
    expect(used.get('HVALS')).toBeUndefined();
    expect(used.get('HMGET')).toBeUndefined();
    expect(used.get('GET')).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
    expect(actual.flat().length).toBeGreaterThan(20);
    expect((await cold.view(ref)).chunkCount).toBe(21);
    const loaded = (await cold.loadDocuments(ref)).documents.map((d) => d.record.id);
    expect(loaded.sort()).toEqual('d0 d1 d2 d3 d4 d6 d7'.split(' '));
  });

  it('reads the same snapshot through the bulk reader a function uses', async () => {
    // Prepare
    const ref = freshRef();
    const writer = await seed(ref);
    await writer.deleteDocument(ref, 'd1');
    const expected = await searchAll(container(), ref, 'rivers, deltas and reefs');
    await writer.writeSnapshot(ref);
    await putDocument(writer, ref, 'd1', 3);
    const { url, token } = redisFixture.stack;
    const bulkReader = createBulkReader({ url, token });
    const cold = () => new KnowledgeIndex(redisFixture.client(), { snapshots: false, bulkReader });

    // Act
    const reader = cold();
    const used = await commandsDuring(() => reader.view(ref));
    const afterRePut = await searchAll(container(), ref, 'rivers, deltas and reefs');

    // Assess: segments read, only the re-put document fetched; a wrong token is a 503.
    expect(used.get('HVALS')).toBeUndefined();
    expect(used.get('HMGET')).toBe(1);
    expect(await searchAll(reader, ref, 'rivers, deltas and reefs')).toEqual(afterRePut);
    expect(afterRePut).not.toEqual(expected);
    const denied = createBulkReader({ url, token: 'wrong' });
    await expect(denied.readInto(['x'], [new Uint8Array(3)])).rejects.toMatchObject({
      statusCode: 503,
    });
    const targets = [new Uint8Array(3), new Uint8Array(3)];
    expect(
      await bulkReader.readInto(['agent:acme:missing', 'agent:acme:missing-too'], targets),
    ).toEqual([null, null]);
  });

  it('reads the newer snapshot when one is flipped in while a cold container reads the old', async () => {
    // Prepare: a reader whose first request waits for a newer snapshot to replace the one
    // it is reading (whose segments the flip deletes).
    const ref = freshRef();
    const writer = await seed(ref);
    await writer.writeSnapshot(ref);
    await putDocument(writer, ref, 'newer', 2);
    const { url, token } = redisFixture.stack;
    const direct = createBulkReader({ url, token });
    let flipped = false;
    const bulkReader = {
      async readInto(keys: readonly string[], targets: readonly Uint8Array[]) {
        if (!flipped) {
          flipped = true;
          expect(await container().writeSnapshot(ref)).toBe('written');
        }
        return direct.readInto(keys, targets);
      },
    };

    // Act
    const cold = new KnowledgeIndex(redisFixture.client(), { snapshots: false, bulkReader });
    const used = await commandsDuring(() => cold.view(ref));

    // Assess
    expect(flipped).toBe(true);
    expect(used.get('HVALS')).toBeUndefined();
    expect(await ids(cold, ref, 'Note newer', 'lexical')).toContain('newer#0');
  });

  it('shows a cold container the puts, re-puts and deletes made after the snapshot', async () => {
    // Prepare
    const ref = freshRef();
    const writer = await seed(ref);
    await writer.writeSnapshot(ref);
    const other = container();
    await putDocument(other, ref, 'late', 2);
    await putDocument(other, ref, 'd1', 4);
    await other.deleteDocument(ref, 'd0');
    await other.deleteDocument(ref, 'd3');
    await putDocument(other, ref, 'd3', 5);
    const expected = await searchAll(container(), ref, 'coral reefs and deserts');

    // Act
    const cold = container();
    const hits = await ids(cold, ref, 'Note', 'lexical');

    // Assess
    expect(hits).toContain('late#0');
    expect(hits.filter((hit) => hit.startsWith('d0#'))).toEqual([]);
    expect(hits.filter((hit) => hit.startsWith('d3#'))).toHaveLength(3);
    expect(await searchAll(cold, ref, 'coral reefs and deserts')).toEqual(expected);
    const d1 = await (await cold.view(ref)).search({ text: 'Note d1', k: 3, mode: 'lexical' });
    expect(d1.find((hit) => hit.ordinal === 0)?.text).toBe(`${TOPICS[4]} Note d1 “0” ✓ 𝄞`);
  });

  it('never returns a document deleted after the snapshot, even one deleted while the load runs', async () => {
    // Prepare
    const ref = freshRef();
    const writer = await seed(ref);
    await writer.writeSnapshot(ref);
    await writer.deleteDocument(ref, 'd4');

    // Act: a cold search, then a delete answered before the next search.
    const cold = container();
    const first = await ids(cold, ref, 'Note d4', 'lexical');
    await writer.deleteDocument(ref, 'd6');
    const second = await ids(cold, ref, 'Note d6', 'hybrid');

    // Assess
    expect(first.some((hit) => hit.startsWith('d4#'))).toBe(false);
    expect(first.some((hit) => hit.startsWith('d6#'))).toBe(true);
    expect(second.some((hit) => hit.startsWith('d6#'))).toBe(false);
  });

  it('never uses a snapshot whose writer stopped between segments, nor one missing a segment', async () => {
    // Prepare: a writer whose segment writes fail after the second, and one whose third
    // segment never arrives (as if it expired before the flip).
    const ref = freshRef();
    await seed(ref);
    let segmentsWritten = 0;
    const crashing = interceptSegmentWrites((_inner, set, key, rest) => {
      if (++segmentsWritten > 2) throw new Error('crashed');
      return set(key, ...rest);
    });
    const lossy = interceptSegmentWrites((inner, set, key, rest) =>
      key.endsWith(':2') ? inner.get(key) : set(key, ...rest),
    );

    // Act / Assess: the torn generation is never named by the pointer, and expires.
    await expect(container(crashing).writeSnapshot(ref)).rejects.toThrow('crashed');
    expect(await container().hasSnapshot(ref)).toBe(false);
    const leftovers = await snapshotKeys(ref);
    expect(leftovers).toHaveLength(2);
    for (const key of leftovers) expect(await redisFixture.client().ttl(key)).toBeGreaterThan(0);
    const used = await commandsDuring(() => container().view(ref));
    expect(used.get('HVALS')).toBe(1);
    expect(await container(lossy).writeSnapshot(ref)).toBe('missing');
    expect(await container().hasSnapshot(ref)).toBe(false);

    // A flipped snapshot losing a segment: the cold load falls back to a full one.
    expect(await container().writeSnapshot(ref)).toBe('written');
    const segment = (await snapshotKeys(ref)).find((key) => /:snapshot:[0-9a-f]+:3$/.test(key));
    expect(segment).toBeDefined();
    await redisFixture.client().del(segment as string);
    const expected = await searchAll(container(), ref, 'tides and rivers');
    const cold = container();
    const fallback = await commandsDuring(() => cold.view(ref));
    expect(fallback.get('HVALS')).toBe(1);
    expect(await searchAll(cold, ref, 'tides and rivers')).toEqual(expected);
  });

  it('is deleted with the namespace when it is cleared or re-embedded', async () => {
    // Prepare
    const cleared = freshRef();
    const writer = await seed(cleared);
    await writer.writeSnapshot(cleared);
    const replaced = freshRef();
    await seed(replaced);
    await writer.writeSnapshot(replaced);
    expect(await snapshotKeys(cleared)).not.toEqual([]);

    // Act
    await writer.clearNamespace(cleared);
    const wider = createOfflineEmbedder(96);
    await reembedNamespace(writer, wider, replaced);

    // Assess
    expect(await snapshotKeys(cleared)).toEqual([]);
    expect(await snapshotKeys(replaced)).toEqual([]);
    expect(await ids(container(), cleared, 'Note', 'lexical')).toEqual([]);
    const [vector] = await wider.embed(['glaciers']);
    const hits = await container().search(replaced, {
      text: 'glaciers',
      vector,
      embedder: { id: wider.id, dimensions: 96 },
      k: 3,
      mode: 'vector',
    });
    expect(hits).toHaveLength(3);
  });

  it('is not flipped in by a writer that loaded the namespace before it was cleared', async () => {
    // Prepare: the namespace as a container held it, then a clear and a new document.
    const ref = freshRef();
    const writer = await seed(ref);
    const held = await writer.loadDocuments(ref);
    const stale = new NamespaceSnapshot(64, held.version, identity);
    for (const document of held.documents) stale.upsert(document);
    await writer.clearNamespace(ref);
    await putDocument(writer, ref, 'fresh', 1);

    // Act: flipping it in would bring the cleared documents back.
    const outcome = await new SnapshotStore(redisFixture.client()).write(ref, stale);

    // Assess
    expect(outcome).toBe('stale');
    expect(await container().hasSnapshot(ref)).toBe(false);
    expect(await ids(container(), ref, 'Note', 'lexical')).toEqual([
      'fresh#0',
      'fresh#1',
      'fresh#2',
    ]);
  });

  it('falls back to a full load when the log no longer reaches the snapshot, and rewrites it', async () => {
    // Prepare: the log's entry right after the snapshot trimmed away, as the write scripts
    // do past the log's length.
    const ref = freshRef();
    const writer = await seed(ref);
    await writer.writeSnapshot(ref);
    await putDocument(writer, ref, 'after', 3);
    await putDocument(writer, ref, 'later', 4);
    await redisFixture.client().zremrangebyrank(`agent:acme:index:${ref.namespace}:log`, 0, -2);

    // Act
    const cold = new KnowledgeIndex(redisFixture.client(), { snapshots: { minChunks: 1 } });
    const used = await commandsDuring(() => cold.view(ref));
    await cold.snapshotWritesSettled();

    // Assess
    expect(used.get('HVALS')).toBe(1);
    expect(await ids(cold, ref, 'Note after', 'lexical')).toContain('after#0');
    const pointer = await redisFixture
      .client()
      .hget<string>(`agent:acme:index:${ref.namespace}:snapshot`, 'version');
    expect(Number(pointer)).toBe((await cold.view(ref)).version);
    const next = container();
    expect((await commandsDuring(() => next.view(ref))).get('HVALS')).toBeUndefined();
    expect(await ids(next, ref, 'Note later', 'lexical')).toContain('later#0');
  });

  it('is rewritten by a searching container once the log since it reaches the threshold', async () => {
    // Prepare
    const ref = freshRef();
    const writer = await seed(ref, 3);
    const searcher = new KnowledgeIndex(redisFixture.client(), {
      snapshots: { minChunks: 1, rewriteAfter: 3 },
    });
    const snapshotVersion = async () =>
      Number(
        await redisFixture
          .client()
          .hget<string>(`agent:acme:index:${ref.namespace}:snapshot`, 'version'),
      );

    // Act / Assess: the first search writes one; two changes later it is kept, three rewrite it.
    await searcher.view(ref);
    await searcher.snapshotWritesSettled();
    expect(await snapshotVersion()).toBe(3);
    await putDocument(writer, ref, 'x', 1);
    await putDocument(writer, ref, 'y', 2);
    await searcher.view(ref);
    await searcher.snapshotWritesSettled();
    expect(await snapshotVersion()).toBe(3);
    await writer.deleteDocument(ref, 'x');
    await searcher.view(ref);
    await searcher.snapshotWritesSettled();
    expect(await snapshotVersion()).toBe(6);
    // The pointer and one segment per section (a small namespace's sections fit one each).
    expect(await snapshotKeys(ref)).toHaveLength(1 + 11);
  });

  it('is deleted when a user is forgotten, even after every memory was deleted one by one', async () => {
    // Prepare: a memory namespace with a snapshot, its entries then deleted singly.
    const redis = redisFixture.client();
    const index = container(redis);
    const ref = { tenant: 'acme', namespace: memoryNamespace('U-snap') };
    for (const id of ['m1', 'm2']) await putDocument(index, ref, id, 1);
    expect(await index.writeSnapshot(ref)).toBe('written');
    for (const id of ['m1', 'm2']) await index.deleteDocument(ref, id);

    // Act
    await forgetUser(redis, index, 'acme', 'U-snap');

    // Assess
    expect(await snapshotKeys(ref)).toEqual([]);
  });

  it('answers a cold container’s searches while its text is still in Redis, and reloads when that snapshot is replaced', async () => {
    // Prepare
    const ref = freshRef();
    const writer = await seed(ref);
    await writer.writeSnapshot(ref);
    const { cold, release } = coldContainerWithoutText();

    try {
      // Act: a cold load, then a write and a newer snapshot, which deletes the generation
      // the cold container loaded from before it read any of that text.
      await cold.view(ref);
      const before = await searchAll(container(), ref, 'coral reefs and tides');
      await putDocument(writer, ref, 'late', 3);
      expect(await container().writeSnapshot(ref)).toBe('written');
      const used = await commandsDuring(() => searchAll(cold, ref, 'coral reefs and tides'));

      // Assess: the hits' text was asked of the old generation (GETRANGE), found gone, and
      // the namespace read again from the new snapshot (GET of its segments).
      expect(used.get('GETRANGE')).toBeGreaterThan(0);
      expect(used.get('GET')).toBeGreaterThan(0);
      const after = await searchAll(cold, ref, 'coral reefs and tides');
      expect(after).toEqual(await searchAll(container(), ref, 'coral reefs and tides'));
      expect(after).not.toEqual(before);
      expect(await ids(cold, ref, 'Note late', 'lexical')).toContain('late#0');
    } finally {
      release();
    }
  });

  it('never returns a document its own container deleted while that document’s text was in Redis', async () => {
    // Prepare
    const ref = freshRef();
    const writer = await seed(ref);
    await writer.writeSnapshot(ref);
    const { cold, release } = coldContainerWithoutText();

    try {
      // Act: a delete and a replacement right after the cold load, before any text is read.
      expect((await cold.view(ref)).chunkCount).toBe(24);
      await cold.deleteDocument(ref, 'd4');
      await putDocument(cold, ref, 'd6', 9);
      const hits = await ids(cold, ref, 'Note d4 d6', 'lexical');

      // Assess
      expect(hits.some((hit) => hit.startsWith('d4#'))).toBe(false);
      expect(await searchAll(cold, ref, 'glaciers and deltas')).toEqual(
        await searchAll(container(), ref, 'glaciers and deltas'),
      );
    } finally {
      release();
    }
  });
});
