import { describe, expect, it } from 'vitest';
import {
  createOfflineEmbedder,
  offlineEmbedding,
  planBatches,
} from '#shared/knowledge/embeddings/index.ts';

const cosine = (a: Float32Array, b: Float32Array) =>
  a.reduce((sum, value, i) => sum + value * (b[i] as number), 0);

describe('offline embedder', () => {
  it('is deterministic, unit length and of the requested dimension', async () => {
    const embedder = createOfflineEmbedder(48);
    const [a, b] = await embedder.embed(['Refund policy', 'Refund policy']);
    expect(a).toHaveLength(48);
    expect(Array.from(a as Float32Array)).toEqual(Array.from(b as Float32Array));
    expect(cosine(a as Float32Array, a as Float32Array)).toBeCloseTo(1, 5);
  });

  it('puts related word forms closer than unrelated text', () => {
    const query = offlineEmbedding('configuring embeddings', 256);
    const related = offlineEmbedding('configure the embedding model', 256);
    const unrelated = offlineEmbedding('volcanic eruptions in iceland', 256);
    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated) + 0.2);
  });
});

describe('planBatches', () => {
  it('respects both the input and the token limit, in order', () => {
    expect(planBatches([10, 10, 10, 10, 10], { maxInputs: 2, maxTokens: 1000 })).toEqual([
      [0, 1],
      [2, 3],
      [4],
    ]);
    expect(planBatches([600, 600, 50, 900], { maxInputs: 10, maxTokens: 1000 })).toEqual([
      [0],
      [1, 2],
      [3],
    ]);
  });

  it('gives an input over the token limit a batch of its own', () => {
    expect(planBatches([5, 5000, 5], { maxInputs: 10, maxTokens: 1000 })).toEqual([[0], [1], [2]]);
  });
});
