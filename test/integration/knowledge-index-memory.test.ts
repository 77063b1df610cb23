import { describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '#shared/knowledge/embeddings/index.ts';
import {
  IndexTooLargeError,
  indexDocument,
  KnowledgeIndex,
  type NamespaceRef,
} from '#shared/knowledge/index/index.ts';
import { chunkBudgetForMemory } from '#shared/knowledge/index/memory-budget.ts';
import { useLocalRedis } from '#test/support/local-redis.ts';

const redisFixture = useLocalRedis();
const embedder = createOfflineEmbedder(32);

async function seed(ref: NamespaceRef, chunkCount: number): Promise<void> {
  const writer = new KnowledgeIndex(redisFixture.client());
  const texts = Array.from({ length: chunkCount }, (_, index) => `note ${index} about lunch`);
  await indexDocument(
    writer,
    embedder,
    ref,
    { id: 'notes', title: 'Notes', source: 'notes.md', contentHash: `hash-${chunkCount}` },
    texts.map((text) => ({
      text,
      headingPath: [],
      pageRange: null,
      offsets: { start: 0, end: 1 },
    })),
  );
}

describe('knowledge index memory per container', () => {
  it('refuses a namespace larger than the budget before loading it', async () => {
    // Prepare
    const ref = { tenant: 'mem', namespace: 'big' };
    await seed(ref, 6);
    const redis = redisFixture.client();
    const reader = new KnowledgeIndex(redis, { maxCachedChunks: 5 });
    let fetches = 0;
    const pipeline = redis.pipeline.bind(redis);
    redis.pipeline = () => {
      fetches += 1;
      return pipeline();
    };

    // Act
    const refused = await reader.view(ref).catch((error: unknown) => error);

    // Assess: one freshness check, no chunk fetched, nothing cached.
    expect(refused).toBeInstanceOf(IndexTooLargeError);
    expect(refused).toMatchObject({ statusCode: 507, code: 'index_too_large', chunkCount: 6 });
    expect(fetches).toBe(1);
    expect(reader.cachedNamespaces()).toEqual([]);
  });

  it('evicts the least recently used namespace past the budget', async () => {
    // Prepare
    const refs = ['a', 'b', 'c'].map((namespace) => ({ tenant: 'lru', namespace }));
    for (const ref of refs) await seed(ref, 4);
    const reader = new KnowledgeIndex(redisFixture.client(), { maxCachedChunks: 8 });
    const [a, b, c] = refs as [NamespaceRef, NamespaceRef, NamespaceRef];

    // Act
    await reader.view(a);
    await reader.view(b);
    await reader.view(a); // a is now more recent than b
    await reader.view(c);

    // Assess
    expect(reader.cachedNamespaces()).toEqual(['lru/a', 'lru/c']);
  });

  it('keeps at most maxCachedNamespaces namespaces, empty ones included', async () => {
    // Prepare: users' memory namespaces that were never written hold no chunk at all.
    const reader = new KnowledgeIndex(redisFixture.client(), { maxCachedNamespaces: 2 });

    // Act
    for (const user of ['u1', 'u2', 'u3']) {
      await reader.view({ tenant: 'many', namespace: `memory.${user}` });
    }

    // Assess
    expect(reader.cachedNamespaces()).toEqual(['many/memory.u2', 'many/memory.u3']);
  });

  it('grows the budget with the function memory, above a floor for the smallest functions', () => {
    const budgets = [128, 512, 1769, 3008].map(chunkBudgetForMemory);
    expect(chunkBudgetForMemory(64)).toBe(budgets[0]);
    expect(budgets).toEqual([...budgets].sort((a, b) => a - b));
    expect(new Set(budgets).size).toBe(budgets.length);
  });
});
