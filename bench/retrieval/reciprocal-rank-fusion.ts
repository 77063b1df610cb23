import { tokenize } from '#shared/knowledge/index/tokenizer.ts';
import type { IndexedCollection } from './evaluate.ts';
import { ndcgAt } from './metrics.ts';

/** Candidates per ranking, as the search takes them for a top-10. */
const POOL = 50;
const RRF_K = 60;

/**
 * Mean nDCG@10 of reciprocal rank fusion (each ranking adds `1 / (60 + rank)`), the
 * fusion the index used before the weighted convex combination: kept as the baseline.
 */
export function reciprocalRankFusionNdcg(indexed: IndexedCollection): number {
  const { collection, snapshot, queryVectors } = indexed;
  let total = 0;
  collection.queries.forEach((query, index) => {
    const fused = new Map<number, number>();
    const lists = [
      snapshot.vectorSearch(queryVectors[index] as Float32Array, POOL, undefined),
      snapshot.lexicalSearch(tokenize(query.text), POOL, undefined),
    ];
    for (const list of lists) {
      list.forEach(({ slot }, rank) => {
        fused.set(slot, (fused.get(slot) ?? 0) + 1 / (RRF_K + rank + 1));
      });
    }
    const ranked = [...fused]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([slot]) => snapshot.chunk(slot).record.id);
    total += ndcgAt(10, [...new Set(ranked)], query.judgments);
  });
  return total / collection.queries.length;
}
