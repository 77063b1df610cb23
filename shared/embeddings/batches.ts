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
  const batches: number[][] = [];
  let current: number[] = [];
  let tokens = 0;
  tokenCounts.forEach((count, index) => {
    const full = current.length >= limits.maxInputs || tokens + count > limits.maxTokens;
    if (current.length > 0 && full) {
      batches.push(current);
      current = [];
      tokens = 0;
    }
    current.push(index);
    tokens += count;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
