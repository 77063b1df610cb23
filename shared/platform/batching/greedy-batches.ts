/**
 * Splits items, in order, into consecutive batches whose summed weight stays within
 * `maxWeight` and whose size stays within `maxItems`. An item heavier than `maxWeight`
 * alone gets a batch of its own.
 */
export function greedyBatches<T>(
  items: readonly T[],
  weightOf: (item: T, index: number) => number,
  limits: { maxWeight: number; maxItems?: number },
): T[][] {
  const maxItems = limits.maxItems ?? Number.POSITIVE_INFINITY;
  const batches: T[][] = [];
  let current: T[] = [];
  let weight = 0;
  items.forEach((item, index) => {
    const itemWeight = weightOf(item, index);
    const full = current.length >= maxItems || weight + itemWeight > limits.maxWeight;
    if (current.length > 0 && full) {
      batches.push(current);
      current = [];
      weight = 0;
    }
    current.push(item);
    weight += itemWeight;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
