import { TopK } from './top-k.ts';

/** Okapi BM25 parameters: the usual defaults. */
const K1 = 1.2;
const B = 0.75;
const MAX_SLOT = 2 ** 24 - 1;
const MAX_TF = 255;

/** One term's postings: `slot << 8 | tf` per chunk containing it, grown by doubling. */
interface Postings {
  entries: Uint32Array;
  length: number;
  /** Live chunks containing the term. */
  df: number;
}

/**
 * An in-memory BM25 index over numbered slots (chunks). Removing a slot updates the
 * statistics (document frequencies, average length) at once but leaves its postings in
 * place; searches skip dead slots, and the owner rebuilds when too many are dead.
 */
export class Bm25Index {
  private readonly postings = new Map<string, Postings>();
  private lengths = new Uint32Array(1024);
  /** Per-slot score accumulator reused across searches (all zero between them). */
  private scratch = new Float64Array(1024);
  private liveCount = 0;
  private totalLength = 0;

  get size(): number {
    return this.liveCount;
  }

  /** Adds a slot's terms; slots must be added in increasing order. */
  add(slot: number, terms: readonly string[]): void {
    if (slot > MAX_SLOT) throw new RangeError('BM25 index is full');
    if (slot >= this.lengths.length) this.lengths = grow(this.lengths, slot + 1);
    this.lengths[slot] = terms.length;
    this.liveCount += 1;
    this.totalLength += terms.length;
    for (const term of terms) {
      let list = this.postings.get(term);
      if (!list) {
        list = { entries: new Uint32Array(4), length: 0, df: 0 };
        this.postings.set(term, list);
      }
      // Slots arrive in increasing order, so a repeat of the term in this chunk is the
      // list's last entry: count it there instead of building a term-count map per chunk.
      const last = list.length > 0 ? (list.entries[list.length - 1] as number) : -1;
      if (last >>> 8 === slot && list.length > 0) {
        if ((last & MAX_TF) < MAX_TF) list.entries[list.length - 1] = last + 1;
        continue;
      }
      if (list.length === list.entries.length) list.entries = grow(list.entries, list.length + 1);
      list.entries[list.length] = ((slot << 8) | 1) >>> 0;
      list.length += 1;
      list.df += 1;
    }
  }

  /** Takes a slot out of the statistics; `terms` must be those it was added with. */
  remove(slot: number, terms: readonly string[]): void {
    this.liveCount -= 1;
    this.totalLength -= this.lengths[slot] ?? 0;
    for (const term of new Set(terms)) {
      const list = this.postings.get(term);
      if (list) list.df -= 1;
    }
  }

  /**
   * The `limit` best slots for the query terms. `live[slot]` must be 1 for slots still
   * present; `mask`, when given, must be 1 for slots a filter lets through.
   */
  search(
    queryTerms: readonly string[],
    limit: number,
    live: Uint8Array,
    mask: Uint8Array | undefined,
  ): { id: number; score: number }[] {
    const count = this.liveCount;
    if (count === 0 || limit <= 0) return [];
    const averageLength = this.totalLength / count || 1;
    if (this.scratch.length < this.lengths.length)
      this.scratch = new Float64Array(this.lengths.length);
    const scores = this.scratch;
    const touched: number[] = [];
    for (const term of new Set(queryTerms)) {
      const list = this.postings.get(term);
      if (!list || list.df <= 0) continue;
      const idf = Math.log(1 + (count - list.df + 0.5) / (list.df + 0.5));
      const { entries, length } = list;
      for (let i = 0; i < length; i += 1) {
        const entry = entries[i] as number;
        const slot = entry >>> 8;
        if (live[slot] !== 1 || (mask !== undefined && mask[slot] !== 1)) continue;
        const tf = entry & MAX_TF;
        const norm = 1 - B + (B * (this.lengths[slot] as number)) / averageLength;
        if (scores[slot] === 0) touched.push(slot);
        scores[slot] = (scores[slot] as number) + (idf * tf * (K1 + 1)) / (tf + K1 * norm);
      }
    }
    const top = new TopK(Math.min(limit, touched.length));
    for (const slot of touched) {
      top.push(slot, scores[slot] as number);
      scores[slot] = 0;
    }
    return top.sorted();
  }

  /** Exact BM25 scores of the given live slots for the query terms (0 where none occurs). */
  scoreSlots(queryTerms: readonly string[], slots: ArrayLike<number>): Float64Array {
    const scores = new Float64Array(slots.length);
    const count = this.liveCount;
    if (count === 0) return scores;
    const averageLength = this.totalLength / count || 1;
    for (const term of new Set(queryTerms)) {
      const list = this.postings.get(term);
      if (!list || list.df <= 0) continue;
      const idf = Math.log(1 + (count - list.df + 0.5) / (list.df + 0.5));
      for (let i = 0; i < slots.length; i += 1) {
        const slot = slots[i] as number;
        let low = 0;
        let high = list.length;
        while (low < high) {
          const mid = (low + high) >> 1;
          if ((list.entries[mid] as number) >>> 8 < slot) low = mid + 1;
          else high = mid;
        }
        const entry = list.entries[low] as number;
        if (low >= list.length || entry >>> 8 !== slot) continue;
        const tf = entry & MAX_TF;
        const norm = 1 - B + (B * (this.lengths[slot] as number)) / averageLength;
        scores[i] = (scores[i] as number) + (idf * tf * (K1 + 1)) / (tf + K1 * norm);
      }
    }
    return scores;
  }
}

function grow<T extends Uint32Array>(array: T, minimum: number): T {
  let size = Math.max(array.length * 2, 4);
  while (size < minimum) size *= 2;
  const next = new Uint32Array(size);
  next.set(array);
  return next as T;
}
