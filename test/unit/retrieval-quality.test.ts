import { describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '#shared/knowledge/embeddings/offline-embedder.ts';
import type { SearchMode } from '#shared/knowledge/index/types.ts';
import { constitution, cysticFibrosis } from '../../bench/retrieval/collections.ts';
import { indexCollection, type ModeScores, scoreMode } from '../../bench/retrieval/evaluate.ts';
import { strongEmbedder } from '../../bench/retrieval/strong-embedder.ts';

const DIMENSIONS = 512;
/** Hybrid may trail the better of its parts by at most this much nDCG@10. */
const TOLERANCE = 0.005;
const collections = [cysticFibrosis(), constitution()];
/** Indexing 1,239 abstracts and scoring 100 queries three ways takes seconds, not ms. */
const EVALUATION_TIMEOUT_MS = 60_000;

describe.each(collections)('retrieval quality on $name', (collection) => {
  // The offline embedder is far weaker than BM25 on both sets; the stand-in is stronger
  // than BM25 on both. Hybrid must follow whichever part is stronger, with default weights.
  it.each([
    ['the offline embedder', () => createOfflineEmbedder(DIMENSIONS), 'lexical'],
    ['a stand-in strong embedder', () => strongEmbedder(collection, DIMENSIONS), 'vector'],
  ] as const)(
    'hybrid is at least as good as the better part with %s',
    async (_, embedder, stronger) => {
      // Prepare
      const indexed = await indexCollection(collection, embedder());

      // Act
      const scores = Object.fromEntries(
        (['lexical', 'vector', 'hybrid'] as SearchMode[]).map((mode) => [
          mode,
          scoreMode(indexed, { mode }),
        ]),
      ) as Record<SearchMode, ModeScores>;

      // Assess: the set really has a stronger part (else the comparison proves nothing),
      // and hybrid keeps up with it.
      const weaker = stronger === 'lexical' ? 'vector' : 'lexical';
      expect(scores[stronger].ndcg10).toBeGreaterThan(scores[weaker].ndcg10 + 0.05);
      expect(scores.hybrid.ndcg10).toBeGreaterThanOrEqual(
        Math.max(scores.lexical.ndcg10, scores.vector.ndcg10) - TOLERANCE,
      );
      expect(scores.hybrid.map).toBeGreaterThanOrEqual(
        Math.max(scores.lexical.map, scores.vector.map) - TOLERANCE,
      );
    },
    EVALUATION_TIMEOUT_MS,
  );
});
