import type { Config } from '../config/index.ts';
import { createEmbedder, type Embedder } from '../embeddings/index.ts';
import type { Redis } from '../redis/index.ts';
import { KnowledgeIndex } from './knowledge-index.ts';

const indexes = new WeakMap<Redis, KnowledgeIndex>();
const embedders = new WeakMap<Config, Embedder>();

/** The container's one index for this Redis client: its memory cache outlives invocations. */
export function getKnowledgeIndex(redis: Redis): KnowledgeIndex {
  let index = indexes.get(redis);
  if (!index) {
    index = new KnowledgeIndex(redis);
    indexes.set(redis, index);
  }
  return index;
}

/** The container's one embedder for this configuration. */
export function getEmbedder(config: Config): Embedder {
  let embedder = embedders.get(config);
  if (!embedder) {
    embedder = createEmbedder(config);
    embedders.set(config, embedder);
  }
  return embedder;
}
