import type { ChunkingOptions } from './types.ts';

/** @throws RangeError for options the request schema refuses */
export function assertValidOptions({ size, overlap }: ChunkingOptions): void {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError('chunk size must be a positive integer');
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > maxOverlap(size)) {
    throw new RangeError('chunk overlap must be an integer from 0 to half of size');
  }
}

/**
 * The largest overlap for a chunk size: half of it. A window then advances by at least
 * half a chunk, so a text of n characters gives at most about 2n/size windows; with an
 * overlap near `size` it would give n windows of `size` characters each, quadratic work
 * for no new text.
 */
export function maxOverlap(size: number): number {
  return Math.floor(size / 2);
}
