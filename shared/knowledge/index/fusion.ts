import { OFFLINE_EMBEDDER_ID } from '../embeddings/offline-embedder.ts';
import type { Candidate } from './namespace-snapshot.ts';

/**
 * The vector ranking's share in hybrid fusion when neither the request nor the tenant
 * sets one, by embedder. Chosen on the evaluation sets (`npm run eval:retrieval`; table
 * and reasoning in the README): the offline embedder is a fuzzy copy of the lexical
 * signal and far weaker than BM25, so it only breaks ties; a semantic model carries most
 * of the weight, with BM25 kept for exact terms.
 */
export const DEFAULT_VECTOR_WEIGHT = { offline: 0.15, semantic: 0.8 } as const;

/** The default vector weight for vectors made by `embedderId`. */
export function defaultVectorWeight(embedderId: string | undefined): number {
  return embedderId === OFFLINE_EMBEDDER_ID
    ? DEFAULT_VECTOR_WEIGHT.offline
    : DEFAULT_VECTOR_WEIGHT.semantic;
}

/** A tenant's stored weight, if it is one (the settings route writes only 0..1). */
export function parseVectorWeight(stored: unknown): number | undefined {
  if (stored === null || stored === undefined || stored === false) return undefined;
  const weight = Number(stored);
  return Number.isFinite(weight) && weight >= 0 && weight <= 1 ? weight : undefined;
}

/**
 * The two rankings of one query, and exact scores for slots either one left out (asked
 * only for those: the rankings' own scores are the same exact scores).
 */
export interface FusionInput {
  vector: readonly Candidate[];
  lexical: readonly Candidate[];
  vectorScoresOf(slots: readonly number[]): Float64Array;
  lexicalScoresOf(slots: readonly number[]): Float64Array;
}

/** A fused candidate with the two exact scores it was ranked by. */
export interface FusedCandidate extends Candidate {
  vector: number;
  lexical: number;
}

/**
 * Convex combination of min-max normalised scores: every slot either ranking proposed
 * gets both of its exact scores, each scaled to 0..1 over those slots, and is ranked by
 * `vectorWeight * vector + (1 - vectorWeight) * lexical`. Unlike reciprocal rank fusion
 * it keeps how far apart the scores are (an exact phrase's BM25 lead stays a lead), and
 * the weight lets the stronger ranking lead: at 0 the order is lexical, at 1 vector.
 * Ties go to the better of the slot's two ranks, then the lower slot.
 */
export function fuseScores(input: FusionInput, vectorWeight: number): FusedCandidate[] {
  const rankOf = new Map<number, number>();
  for (const list of [input.vector, input.lexical]) {
    for (const [rank, { slot }] of list.entries()) {
      rankOf.set(slot, Math.min(rankOf.get(slot) ?? rank, rank));
    }
  }
  const slots = [...rankOf.keys()];
  const vectorScores = exactScores(slots, input.vector, input.vectorScoresOf);
  const lexicalScores = exactScores(slots, input.lexical, input.lexicalScoresOf);
  const normalVector = minMax(vectorScores);
  const normalLexical = minMax(lexicalScores);
  return slots
    .map((slot, i) => {
      const vector = vectorScores[i] as number;
      const lexical = lexicalScores[i] as number;
      const score =
        vectorWeight * normalVector(vector) + (1 - vectorWeight) * normalLexical(lexical);
      return { slot, score, vector, lexical };
    })
    .sort(
      (a, b) =>
        b.score - a.score ||
        (rankOf.get(a.slot) as number) - (rankOf.get(b.slot) as number) ||
        a.slot - b.slot,
    );
}

/**
 * Each slot's score in one ranking: from the ranking itself where it proposed the slot,
 * else from `scoresOf`, asked once for only the slots it left out.
 */
function exactScores(
  slots: readonly number[],
  proposed: readonly Candidate[],
  scoresOf: (slots: readonly number[]) => Float64Array,
): Float64Array {
  const known = new Map(proposed.map(({ slot, score }) => [slot, score]));
  const missing = slots.filter((slot) => !known.has(slot));
  const looked = scoresOf(missing);
  for (const [i, slot] of missing.entries()) known.set(slot, looked[i] as number);
  return Float64Array.from(slots, (slot) => known.get(slot) as number);
}

/** Maps scores onto 0..1 by their minimum and maximum; all equal maps to 0. */
function minMax(scores: Float64Array): (score: number) => number {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const score of scores) {
    low = Math.min(low, score);
    high = Math.max(high, score);
  }
  const range = high - low;
  return range > 0 ? (score) => (score - low) / range : () => 0;
}
