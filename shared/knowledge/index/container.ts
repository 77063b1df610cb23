import { createBulkReader, type Redis } from '../../platform/redis/index.ts';
import type { Services } from '../../platform/services.ts';
import { KnowledgeIndex } from './knowledge-index.ts';
import { chunkBudgetForMemory } from './memory-budget.ts';

/**
 * Set by the Lambda runtime (not a platform setting), read once per cold start. Outside
 * Lambda (dev server, tests) the index keeps its default budget.
 */
const functionMemoryMib = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || undefined;

const indexes = new WeakMap<Redis, KnowledgeIndex>();

/**
 * The container's one index for this Redis client: its memory cache outlives invocations.
 * It enforces the tenant quotas on writes and keeps what fits in this function's memory.
 */
export function getKnowledgeIndex({ redis, config }: Pick<Services, 'redis' | 'config'>) {
  let index = indexes.get(redis);
  if (!index) {
    index = new KnowledgeIndex(redis, {
      quotas: config.quotas,
      ...(config.redis ? { bulkReader: createBulkReader(config.redis) } : {}),
      ...(functionMemoryMib ? { maxCachedChunks: chunkBudgetForMemory(functionMemoryMib) } : {}),
    });
    indexes.set(redis, index);
  }
  return index;
}
