import type { Redis } from '@upstash/redis';
import { describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '#shared/knowledge/embeddings/index.ts';
import { indexDocument, KnowledgeIndex } from '#shared/knowledge/index/index.ts';
import { useLocalRedis } from '#test/support/local-redis.ts';

const redis = useLocalRedis();
const embedder = createOfflineEmbedder(64);
const ref = { tenant: 'acme', namespace: 'kb' };
const chunk = (text: string) => ({
  text,
  headingPath: [],
  pageRange: null,
  offsets: { start: 0, end: text.length },
});

/** Holds the reply of the n-th pipeline the client runs until `release` is called. */
function holdPipeline(client: Redis, n: number) {
  const original = client.pipeline.bind(client);
  let count = 0;
  let release: () => void = () => undefined;
  let replied: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const read = new Promise<void>((resolve) => {
    replied = resolve;
  });
  client.pipeline = (() => {
    const pipeline = original();
    count += 1;
    if (count === n) {
      const exec = pipeline.exec.bind(pipeline);
      pipeline.exec = (async (...args: Parameters<typeof exec>) => {
        const result = await exec(...args);
        replied();
        await gate;
        return result;
      }) as typeof pipeline.exec;
    }
    return pipeline;
  }) as typeof client.pipeline;
  return { read, release };
}

describe('overlapping refreshes in one container', () => {
  it('never bring back a document deleted while an older refresh was in flight', async () => {
    // Prepare: a reader container that has loaded the namespace, then a new document.
    const writer = new KnowledgeIndex(redis.client());
    const readerClient = redis.client();
    const reader = new KnowledgeIndex(readerClient);
    await indexDocument(
      writer,
      embedder,
      ref,
      { id: 'a', title: 'a', source: 'a', contentHash: 'ha' },
      [chunk('apples')],
    );
    await reader.view(ref);
    await indexDocument(
      writer,
      embedder,
      ref,
      { id: 'y', title: 'y', source: 'y', contentHash: 'hy' },
      [chunk('secret zebra')],
    );
    // The reader's next refresh fetches `y` and is held before it applies it.
    const held = holdPipeline(readerClient, 2);
    const slowRefresh = reader.view(ref);
    await held.read;

    // Act: `y` is deleted, a second refresh sees that, then the slow one finishes.
    await writer.deleteDocument(ref, 'y');
    await reader.view(ref);
    held.release();
    await slowRefresh;
    const after = await reader.view(ref);

    // Assess
    expect(await after.search({ text: 'zebra', k: 5, mode: 'lexical' })).toEqual([]);
    expect(after.documentCount).toBe(1);
  });
});
