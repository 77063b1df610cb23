import { stemmer } from 'stemmer';
import { type Embedder, normalise } from './embedder.ts';

/** Identifies vectors made by {@link offlineEmbedding}; bump the suffix if the features change. */
export const OFFLINE_EMBEDDER_ID = 'offline:hashed-features-v1';

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * A deterministic embedding computed locally, for offline mode, tests and benchmarks.
 *
 * Features are stemmed words (weight 1) and the character trigrams of each word (weight
 * 0.35, so related word forms and misspellings land nearby), hashed into `dimensions`
 * buckets with a hashed sign, then L2-normalised. It knows no synonyms: it is a fuzzy
 * lexical signal, not a language model.
 */
export function offlineEmbedding(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  const words = text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
  for (const word of words) {
    addFeature(vector, `w:${stemmer(word)}`, 1);
    const padded = `^${word}$`;
    for (let i = 0; i + 3 <= padded.length; i += 1) {
      addFeature(vector, `t:${padded.slice(i, i + 3)}`, 0.35);
    }
  }
  return normalise(vector);
}

/** The {@link Embedder} used when no OpenAI key is configured. */
export function createOfflineEmbedder(dimensions: number): Embedder {
  return {
    id: OFFLINE_EMBEDDER_ID,
    dimensions,
    async embed(texts) {
      return texts.map((text) => offlineEmbedding(text, dimensions));
    },
  };
}

function addFeature(vector: Float32Array, feature: string, weight: number): void {
  const hash = fnv1a(feature);
  const index = hash % vector.length;
  const sign = hash >>> 31 === 1 ? -1 : 1;
  vector[index] = (vector[index] as number) + sign * weight;
}

/** 32-bit FNV-1a: fast, stable across runs and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
