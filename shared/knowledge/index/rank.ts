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
 * `vectorWeight` defaults to the embedder's ({@link defaultVectorWeight}). The chunks
 * it reads must be in memory: see {@link searchNamespace}.
 */
export function rankChunks(snapshot: NamespaceSnapshot, query: SearchQuery): SearchHit[] {
  const terms = tokenize(query.text);
  return hitsOf(snapshot, rankSlots(snapshot, query, terms), terms);
}

/**
 * {@link rankChunks} for a namespace whose chunk text may still be in Redis (a cold
 * load leaves it there): scoring needs none, so only the text of the hits, and of the
 * chunks a metadata filter must read, is loaded first, in at most two round trips.
 */
export async function searchNamespace(
  snapshot: NamespaceSnapshot,
  query: SearchQuery,
): Promise<SearchHit[]> {
  const terms = tokenize(query.text);
  await snapshot.loadFilterText(query.filter);
  const ranked = rankSlots(snapshot, query, terms);
  await snapshot.loadText(ranked.map(({ slot }) => slot));
  return hitsOf(snapshot, ranked, terms);
}

type RankedSlot = Candidate & { vector: number | null; lexical: number | null };

function rankSlots(
  snapshot: NamespaceSnapshot,
  query: SearchQuery,
  terms: readonly string[],
): RankedSlot[] {
  const mask = snapshot.filterMask(query.filter);
  const vector = query.mode !== 'lexical' ? query.vector : undefined;
  let ranked: RankedSlot[];
  if (query.mode === 'lexical' || !vector) {
    ranked = snapshot
      .lexicalSearch(terms, query.k, mask)
      .map((hit) => ({ ...hit, vector: null, lexical: hit.score }));
  } else if (query.mode === 'vector') {
    ranked = snapshot
      .vectorSearch(vector, query.k, mask)
      .map((hit) => ({ ...hit, vector: hit.score, lexical: null }));
  } else {
    const pool = Math.max(query.k * 4, MIN_FUSION_CANDIDATES);
    const input: FusionInput = {
      vector: snapshot.vectorSearch(vector, pool, mask),
      lexical: snapshot.lexicalSearch(terms, pool, mask),
      vectorScoresOf: (slots) => snapshot.vectorScores(vector, slots),
      lexicalScoresOf: (slots) => snapshot.lexicalScores(terms, slots),
    };
    const weight = query.vectorWeight ?? defaultVectorWeight(snapshot.embedder?.id);
    ranked = fuseScores(input, weight).slice(0, query.k);
  }
  return ranked;
}

function hitsOf(
  snapshot: NamespaceSnapshot,
  ranked: readonly RankedSlot[],
  terms: readonly string[],
): SearchHit[] {
  const termSet = new Set(terms);
  return ranked.map(({ slot, score, vector: vectorScore, lexical: lexicalScore }) => {
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
      vectorScore,
      // In hybrid, 0 is a real BM25 score (no query term occurs).
      lexicalScore,
    };
  });
}
