import { type Embedder, normalise } from '#shared/knowledge/embeddings/embedder.ts';
import { offlineEmbedding } from '#shared/knowledge/embeddings/offline-embedder.ts';
import { embeddingText } from '#shared/knowledge/index/embed-document.ts';
import { random } from '../search/synthetic-corpus.ts';
import type { TestCollection } from './collections.ts';
import { documentChunks } from './evaluate.ts';

/**
 * A stand-in for a semantic embedding model that is better than lexical search on one
 * collection, to show that fusion follows whichever part is stronger. It is deterministic
 * and knows the collection's judgments: each query gets a random direction, each document
 * the sum of the directions of the queries it is relevant to (weighted by grade), and every
 * text keeps `1 - topicWeight` of its offline embedding, so it ranks well but not perfectly.
 */
export function strongEmbedder(
  collection: TestCollection,
  dimensions: number,
  topicWeight = 0.3,
): Embedder {
  const next = random(7);
  const gaussian = () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
  const topics = new Map<string, Float32Array>();
  const documentTopics = new Map<string, Float32Array>();
  for (const query of collection.queries) {
    const direction = normalise(Float32Array.from({ length: dimensions }, gaussian));
    topics.set(query.text, direction);
    for (const [documentId, grade] of Object.entries(query.judgments)) {
      const sum = documentTopics.get(documentId) ?? new Float32Array(dimensions);
      for (let i = 0; i < dimensions; i += 1)
        sum[i] = (sum[i] as number) + grade * (direction[i] as number);
      documentTopics.set(documentId, sum);
    }
  }
  for (const document of collection.documents) {
    const topic = documentTopics.get(document.id);
    if (!topic) continue;
    normalise(topic);
    for (const chunk of documentChunks(document))
      topics.set(embeddingText(document.title, chunk), topic);
  }
  return {
    id: `stand-in:strong-v1`,
    dimensions,
    async embed(texts) {
      return texts.map((text) => {
        const vector = offlineEmbedding(text, dimensions);
        const topic = topics.get(text);
        for (let i = 0; i < dimensions; i += 1) {
          vector[i] = (1 - topicWeight) * (vector[i] as number) + topicWeight * (topic?.[i] ?? 0);
        }
        return normalise(vector);
      });
    },
  };
}
