import { TopK } from './top-k.ts';

/** Postings per block: a block's bound covers this many consecutive postings of a term. */
const BLOCK_SHIFT = 6;
const BLOCK = 1 << BLOCK_SHIFT;
const MAX_TF = 255;
/**
 * Pruning compares bounds with the threshold lowered by this share of it, so that sums
 * taken in another order than the final score (off by a few ulps) never drop a chunk
 * that would have entered.
 */
const SAFETY = 1e-9;

/** What scoring needs besides the postings: the index's statistics and parameters. */
export interface Bm25Shape {
  /** Live chunks. */
  count: number;
  averageLength: number;
  k1: number;
  b: number;
  /** Terms per slot. */
  lengths: Uint32Array;
}

/** One distinct query term: its slot-ordered `slot << 8 | tf` postings, idf and bounds. */
export interface QueryTerm {
  entries: Uint32Array;
  length: number;
  idf: number;
  blocks: BlockMaxima;
}

/**
 * One term's BM25 contribution for a chunk of `length` terms. Every path scores through
 * this one expression, so pruned and exhaustive searches agree to the last bit; it grows
 * with `tf` and shrinks with `length`, which is what makes block bounds safe.
 */
export function termScore(shape: Bm25Shape, idf: number, tf: number, length: number): number {
  const { k1, b } = shape;
  const norm = 1 - b + (b * length) / shape.averageLength;
  return (idf * tf * (k1 + 1)) / (tf + k1 * norm);
}

/**
 * Per block of 64 postings of a term, its largest tf and its shortest chunk. Scored
 * together they bound every posting in the block whatever the current statistics, so the
 * summary survives removals and only grows at the end when chunks are added.
 */
export class BlockMaxima {
  maxTf = new Uint8Array(0);
  minLength = new Uint32Array(0);
  /** Postings summarised so far. */
  private covered = 0;

  /** Summarises postings appended since the last call (and redoes the last, partial block). */
  update(entries: Uint32Array, length: number, lengths: Uint32Array): void {
    if (length === this.covered) return;
    const blocks = (length + BLOCK - 1) >>> BLOCK_SHIFT;
    if (blocks > this.maxTf.length) {
      const capacity = Math.max(blocks, this.maxTf.length * 2);
      const maxTf = new Uint8Array(capacity);
      maxTf.set(this.maxTf);
      const minLength = new Uint32Array(capacity);
      minLength.set(this.minLength);
      this.maxTf = maxTf;
      this.minLength = minLength;
    }
    for (let block = this.covered >>> BLOCK_SHIFT; block < blocks; block += 1) {
      let maxTf = 0;
      let minLength = 0xffffffff;
      const end = Math.min(length, (block + 1) << BLOCK_SHIFT);
      for (let i = block << BLOCK_SHIFT; i < end; i += 1) {
        const entry = entries[i] as number;
        maxTf = Math.max(maxTf, entry & MAX_TF);
        minLength = Math.min(minLength, lengths[entry >>> 8] as number);
      }
      this.maxTf[block] = maxTf;
      this.minLength[block] = minLength;
    }
    this.covered = length;
  }

  /** The highest score any posting of `block` can have. */
  bound(shape: Bm25Shape, idf: number, block: number): number {
    return termScore(shape, idf, this.maxTf[block] as number, this.minLength[block] as number);
  }
}

/**
 * Exact top `limit` chunks for the query terms (given in query order), best first, equal
 * scores by lower slot: the same list as scoring every posting, found by skipping chunks
 * that cannot reach it.
 *
 * MaxScore, document at a time in slot order: terms are sorted by their highest possible
 * contribution; once the heap is full, the weakest terms whose bounds together cannot
 * reach its threshold become non-essential, so only chunks holding an essential term are
 * candidates, and a candidate's non-essential terms are looked up (strongest first) only
 * while it can still make it. Before a candidate is looked at, the essential terms' block
 * bounds may show that nothing up to the end of their current blocks can make it, and
 * those blocks are skipped whole. Dead and filtered-out chunks are passed over before
 * scoring, so they never enter the heap nor raise its threshold. A candidate's final
 * score adds its terms in query order, as the exhaustive sum does. Candidates come in
 * slot order, so one that only equals the threshold would lose the tie to the lower slots
 * already held: pruning what cannot beat the threshold drops nothing that ties matter to.
 */
export function maxScoreSearch(
  terms: readonly QueryTerm[],
  limit: number,
  live: Uint8Array,
  mask: Uint8Array | undefined,
  shape: Bm25Shape,
): { id: number; score: number }[] {
  const m = terms.length;
  if (m === 0 || limit <= 0) return [];
  const bounds = terms.map((term) => termBound(term, shape));
  const order = Array.from(bounds.keys()).sort(
    (a, b) => (bounds[a] as number) - (bounds[b] as number),
  );
  // below[j]: the most the terms order[0..j] can add together.
  const below = new Float64Array(m);
  let sum = 0;
  for (let j = 0; j < m; j += 1) {
    sum += bounds[order[j] as number] as number;
    below[j] = sum;
  }
  const positions = new Int32Array(m);
  const contributions = new Float64Array(m);
  const top = new TopK(Math.min(limit, shape.count));
  const { lengths } = shape;
  let floor = Number.NEGATIVE_INFINITY;
  let firstEssential = 0;
  // Slot up to which the current blocks were found not skippable.
  let checkedUpTo = -1;

  for (;;) {
    let candidate = Number.POSITIVE_INFINITY;
    for (let j = firstEssential; j < m; j += 1) {
      const t = order[j] as number;
      const term = terms[t] as QueryTerm;
      const at = positions[t] as number;
      if (at < term.length) candidate = Math.min(candidate, (term.entries[at] as number) >>> 8);
    }
    if (candidate === Number.POSITIVE_INFINITY) break;

    if (floor > Number.NEGATIVE_INFINITY && candidate > checkedUpTo) {
      // Every essential posting up to `end` lies in its term's current block.
      let bound = firstEssential > 0 ? (below[firstEssential - 1] as number) : 0;
      let end = Number.POSITIVE_INFINITY;
      for (let j = firstEssential; j < m; j += 1) {
        const t = order[j] as number;
        const term = terms[t] as QueryTerm;
        const at = positions[t] as number;
        if (at >= term.length) continue;
        const block = at >>> BLOCK_SHIFT;
        bound += term.blocks.bound(shape, term.idf, block);
        const last = Math.min(term.length, (block + 1) << BLOCK_SHIFT) - 1;
        end = Math.min(end, (term.entries[last] as number) >>> 8);
      }
      if (bound < floor) {
        for (let j = firstEssential; j < m; j += 1) {
          const t = order[j] as number;
          const term = terms[t] as QueryTerm;
          positions[t] = seek(term.entries, positions[t] as number, term.length, end + 1);
        }
        continue;
      }
      checkedUpTo = end;
    }

    const admitted = live[candidate] === 1 && (mask === undefined || mask[candidate] === 1);
    let partial = 0;
    for (let j = firstEssential; j < m; j += 1) {
      const t = order[j] as number;
      const term = terms[t] as QueryTerm;
      const at = positions[t] as number;
      if (at >= term.length) continue;
      const entry = term.entries[at] as number;
      if (entry >>> 8 !== candidate) continue;
      positions[t] = at + 1;
      if (!admitted) continue;
      const score = termScore(shape, term.idf, entry & MAX_TF, lengths[candidate] as number);
      contributions[t] = score;
      partial += score;
    }
    if (!admitted) continue;

    let reachable = true;
    for (let j = firstEssential - 1; j >= 0; j -= 1) {
      if (partial + (below[j] as number) < floor) {
        reachable = false;
        break;
      }
      const t = order[j] as number;
      const term = terms[t] as QueryTerm;
      const at = seek(term.entries, positions[t] as number, term.length, candidate);
      positions[t] = at;
      const entry = term.entries[at] as number;
      if (at < term.length && entry >>> 8 === candidate) {
        const score = termScore(shape, term.idf, entry & MAX_TF, lengths[candidate] as number);
        contributions[t] = score;
        partial += score;
      }
    }
    if (reachable) {
      let score = 0;
      for (let t = 0; t < m; t += 1) score += contributions[t] as number;
      top.push(candidate, score);
      const threshold = top.threshold;
      if (threshold > floor) {
        floor = threshold - Math.abs(threshold) * SAFETY;
        while (firstEssential < m && (below[firstEssential] as number) < floor) firstEssential += 1;
      }
    }
    contributions.fill(0);
  }
  return top.sorted();
}

/** The highest contribution any of the term's postings can make. */
function termBound(term: QueryTerm, shape: Bm25Shape): number {
  const blocks = (term.length + BLOCK - 1) >>> BLOCK_SHIFT;
  let bound = 0;
  for (let block = 0; block < blocks; block += 1) {
    bound = Math.max(bound, term.blocks.bound(shape, term.idf, block));
  }
  return bound;
}

/** The first index from `from` whose slot is at least `slot`, galloping then bisecting. */
function seek(entries: Uint32Array, from: number, length: number, slot: number): number {
  const key = slot * 256;
  if (from >= length || (entries[from] as number) >= key) return from;
  let low = from;
  let step = 1;
  while (low + step < length && (entries[low + step] as number) < key) {
    low += step;
    step *= 2;
  }
  return lowerBound(entries, low + 1, Math.min(length, low + step), slot);
}

/** The first index in `[from, to)` whose slot is at least `slot` (postings are sorted). */
export function lowerBound(entries: Uint32Array, from: number, to: number, slot: number): number {
  const key = slot * 256;
  let low = from;
  let high = to;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((entries[mid] as number) < key) low = mid + 1;
    else high = mid;
  }
  return low;
}
