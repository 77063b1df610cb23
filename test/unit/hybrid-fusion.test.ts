import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OFFLINE_EMBEDDER_ID } from '#shared/knowledge/embeddings/offline-embedder.ts';
import {
  DEFAULT_VECTOR_WEIGHT,
  defaultVectorWeight,
  type FusionInput,
  fuseScores,
} from '#shared/knowledge/index/fusion.ts';

/** Fusion input from full score tables: each ranking proposes its `pool` best slots. */
function inputOf(vector: number[], lexical: number[], pool: number): FusionInput {
  const top = (scores: number[]) =>
    scores
      .map((score, slot) => ({ slot, score }))
      .sort((a, b) => b.score - a.score || a.slot - b.slot)
      .slice(0, pool);
  return {
    vector: top(vector),
    lexical: top(lexical.map((score) => score)).filter(({ score }) => score > 0),
    vectorScoresOf: (slots) => Float64Array.from(slots, (slot) => vector[slot] as number),
    lexicalScoresOf: (slots) => Float64Array.from(slots, (slot) => lexical[slot] as number),
  };
}

describe('hybrid fusion', () => {
  it("keeps an exact phrase's lexical lead over chunks both rankings rank in the middle", () => {
    // The case reciprocal rank fusion got wrong: the chunk holding the phrase (slot 0) is
    // BM25's clear first (38.6 against 25.5) and outside the vector top, while slot 5 is
    // second in both rankings, which RRF (1/62 + 1/62) puts above one first place (1/61).
    const vector = [0.1, 0.62, 0.61, 0.6, 0.59, 0.7, 0.69, 0.68, 0.67, 0.66];
    const lexical = [38.6, 20.1, 19.8, 19.5, 19.2, 25.5, 0, 0, 0, 0];
    const fused = fuseScores(inputOf(vector, lexical, 6), DEFAULT_VECTOR_WEIGHT.offline);
    expect(fused[0]?.slot).toBe(0);
  });

  it('uses the exact score of a slot only one ranking proposed', () => {
    // Slot 2 is in the vector top only; its BM25 (9) must count, not be taken as 0.
    const input: FusionInput = {
      vector: [
        { slot: 1, score: 0.9 },
        { slot: 2, score: 0.8 },
      ],
      lexical: [
        { slot: 3, score: 10 },
        { slot: 1, score: 1 },
      ],
      vectorScoresOf: (slots) =>
        Float64Array.from(slots, (slot) => [0, 0.9, 0.8, 0.1][slot] as number),
      lexicalScoresOf: (slots) => Float64Array.from(slots, (slot) => [0, 1, 9, 10][slot] as number),
    };
    const fused = fuseScores(input, 0.5);
    expect(fused.map(({ slot }) => slot)).toEqual([2, 1, 3]);
    // Slot 2: vector (0.8 - 0.1) / 0.8, lexical (9 - 1) / 9, half each.
    expect(fused[0]?.score).toBeCloseTo(0.5 * (0.7 / 0.8) + 0.5 * (8 / 9), 12);
  });

  it('orders any input by the weighted sum, each slot once, scores within 0..1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.nat(40)), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        (rows, weight, pool) => {
          const input = inputOf(
            rows.map(([vector]) => vector),
            rows.map(([, lexical]) => lexical),
            pool,
          );
          const fused = fuseScores(input, weight);
          const proposed = new Set([...input.vector, ...input.lexical].map(({ slot }) => slot));
          expect(new Set(fused.map(({ slot }) => slot))).toEqual(proposed);
          expect(fused).toHaveLength(proposed.size);
          for (const [i, entry] of fused.entries()) {
            expect(entry.score).toBeGreaterThanOrEqual(0);
            expect(entry.score).toBeLessThanOrEqual(1 + 1e-12);
            if (i > 0) expect(entry.score).toBeLessThanOrEqual(fused[i - 1]?.score as number);
          }
        },
      ),
    );
  });

  it('defaults to a small vector share for the offline embedder and a large one otherwise', () => {
    expect(defaultVectorWeight(OFFLINE_EMBEDDER_ID)).toBe(DEFAULT_VECTOR_WEIGHT.offline);
    expect(defaultVectorWeight('openai:text-embedding-3-small')).toBe(
      DEFAULT_VECTOR_WEIGHT.semantic,
    );
    expect(DEFAULT_VECTOR_WEIGHT.offline).toBeLessThan(0.5);
    expect(DEFAULT_VECTOR_WEIGHT.semantic).toBeGreaterThan(0.5);
  });
});
