import type { Candidate, NamespaceSnapshot } from './namespace-snapshot.ts';
import { makeSnippet } from './snippet.ts';
import { tokenize } from './tokenizer.ts';
import type { SearchHit, SearchQuery } from './types.ts';

/** The usual reciprocal-rank-fusion constant: damps the weight of the very first ranks. */
export const RRF_K = 60;
/** How many candidates each ranker hands to fusion, at least. */
const MIN_FUSION_CANDIDATES = 50;

/**
 * Ranks a loaded namespace for one query: exact cosine top-k, BM25 top-k, or both fused
 * by reciprocal rank fusion (each ranker contributes `1 / (60 + rank)`). The query's
 * vector must come from the namespace's embedder (checked by the caller).
 */
export function rankChunks(snapshot: NamespaceSnapshot, query: SearchQuery): SearchHit[] {
  const mask = snapshot.filterMask(query.filter);
  const terms = tokenize(query.text);
  const pool = Math.max(query.k * 4, MIN_FUSION_CANDIDATES);
  const wantsVector = query.mode !== 'lexical' && query.vector !== undefined;
  const wantsLexical = query.mode !== 'vector';
  const vector = wantsVector
    ? snapshot.vectorSearch(
        query.vector as Float32Array,
        query.mode === 'vector' ? query.k : pool,
        mask,
      )
    : [];
  const lexical = wantsLexical
    ? snapshot.lexicalSearch(terms, query.mode === 'lexical' ? query.k : pool, mask)
    : [];

  const vectorScores = new Map(vector.map(({ slot, score }) => [slot, score]));
  const lexicalScores = new Map(lexical.map(({ slot, score }) => [slot, score]));
  let ranked: Candidate[];
  if (query.mode === 'vector') ranked = vector;
  else if (query.mode === 'lexical') ranked = lexical;
  else ranked = fuse([vector, lexical]).slice(0, query.k);

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
      vectorScore: vectorScores.get(slot) ?? null,
      lexicalScore: lexicalScores.get(slot) ?? null,
    };
  });
}

/** Reciprocal rank fusion of ranked lists; ties go to the earlier list's order. */
export function fuse(lists: readonly Candidate[][]): Candidate[] {
  const fused = new Map<number, { score: number; best: number }>();
  lists.forEach((list, listIndex) => {
    list.forEach(({ slot }, rank) => {
      const entry = fused.get(slot) ?? { score: 0, best: Number.POSITIVE_INFINITY };
      entry.score += 1 / (RRF_K + rank + 1);
      entry.best = Math.min(entry.best, rank * lists.length + listIndex);
      fused.set(slot, entry);
    });
  });
  return [...fused.entries()]
    .sort(([, a], [, b]) => b.score - a.score || a.best - b.best)
    .map(([slot, { score }]) => ({ slot, score }));
}
