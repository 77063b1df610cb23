import { greedyBatches } from '../../platform/batching/greedy-batches.ts';

/** Limits of one embeddings request. */
export interface BatchLimits {
  maxInputs: number;
  maxTokens: number;
}

/**
 * Splits inputs into consecutive batches that each stay within both limits, given each
 * input's token count. An input larger than `maxTokens` alone gets a batch of its own.
 */
export function planBatches(tokenCounts: readonly number[], limits: BatchLimits): number[][] {
  const indices = tokenCounts.map((_, index) => index);
  return greedyBatches(indices, (index) => tokenCounts[index] ?? 0, {
    maxWeight: limits.maxTokens,
    maxItems: limits.maxInputs,
  });
}
