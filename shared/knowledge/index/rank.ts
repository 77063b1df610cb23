import { defaultVectorWeight, type FusionInput, fuseScores } from './fusion.ts';
import type { Candidate, NamespaceSnapshot } from './namespace-snapshot.ts';
import { makeSnippet } from './snippet.ts';
import { tokenize } from './tokenizer.ts';
import type { SearchHit, SearchQuery } from './types.ts';

/** How many candidates each ranker hands to fusion, at least. */
const MIN_FUSION_CANDIDATES = 50;

/**
 * Ranks a loaded namespace for one query: exact cosine top-k, BM25 top-k, or both fused
 * by a weighted convex combination of their normalised scores ({@link fuseScores}). The
 * query's vector must come from the namespace's embedder (checked by the caller).
 * `vectorWeight` defaults to the embedder's ({@link defaultVectorWeight}).
 */
export function rankChunks(snapshot: NamespaceSnapshot, query: SearchQuery): SearchHit[] {
  const mask = snapshot.filterMask(query.filter);
  const terms = tokenize(query.text);
  const vector = query.mode !== 'lexical' ? query.vector : undefined;
  let ranked: Candidate[];
  let vectorScoreOf: (slot: number) => number | null = () => null;
  let lexicalScores = new Map<number, number>();
  if (query.mode === 'lexical' || !vector) {
    ranked = snapshot.lexicalSearch(terms, query.k, mask);
    lexicalScores = new Map(ranked.map(({ slot, score }) => [slot, score]));
  } else if (query.mode === 'vector') {
    const ranking = snapshot.vectorRanking(vector, query.k, mask);
    ranked = ranking.top;
    vectorScoreOf = ranking.scoreOf;
  } else {
    const pool = Math.max(query.k * 4, MIN_FUSION_CANDIDATES);
    const ranking = snapshot.vectorRanking(vector, pool, mask);
    const input: FusionInput = {
      vector: ranking.top,
      lexical: snapshot.lexicalSearch(terms, pool, mask),
      vectorScoreOf: ranking.scoreOf,
      lexicalScoresOf: (slots) => {
        const scores = snapshot.lexicalScores(terms, slots);
        for (const [i, slot] of slots.entries()) lexicalScores.set(slot, scores[i] as number);
        return scores;
      },
    };
    const weight = query.vectorWeight ?? defaultVectorWeight(snapshot.embedder?.id);
    ranked = fuseScores(input, weight).slice(0, query.k);
    vectorScoreOf = ranking.scoreOf;
  }

  const termSet = new Set(terms);
  return ranked.map(({ slot, score }) => {
    const { record, chunk } = snapshot.chunk(slot);
    return {
      documentId: record.id,
      title: record.title,
      source: record.source,
      ordinal: chunk.ordinal,
      headingPath: chunk.headingPath,
      pageRange: chunk.pageRange,
      offsets: chunk.offsets,
      metadata: { ...record.metadata, ...chunk.metadata },
      text: chunk.text,
      snippet: makeSnippet(chunk.text, termSet),
      score,
      vectorScore: vectorScoreOf(slot),
      // 0 is a real BM25 score in hybrid (no query term occurs), absent in vector mode.
      lexicalScore: lexicalScores.get(slot) ?? null,
    };
  });
}
