import type { Redis } from '../redis/index.ts';
import { KnowledgeIndex } from './knowledge-index.ts';

const indexes = new WeakMap<Redis, KnowledgeIndex>();

/** The container's one index for this Redis client: its memory cache outlives invocations. */
export function getKnowledgeIndex(redis: Redis): KnowledgeIndex {
  let index = indexes.get(redis);
  if (!index) {
    index = new KnowledgeIndex(redis);
    indexes.set(redis, index);
  }
  return index;
}
