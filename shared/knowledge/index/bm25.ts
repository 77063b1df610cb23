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

  /**
   * The index as plain arrays, for a stored snapshot: each term with its postings
   * (`slot << 8 | tf`, in slot order, dead slots included) and every slot's length.
   * The arrays are views of the index's own; copy before changing them.
   */
  exportPostings(): ExportedPostings {
    const terms: string[] = [];
    const postings: Uint32Array[] = [];
    for (const [term, list] of this.postings) {
      terms.push(term);
      postings.push(list.entries.subarray(0, list.length));
    }
    return { terms, postings, lengths: this.lengths };
  }

  /**
   * An index over slots `0..lengths.length-1`, all live, from postings as
   * {@link exportPostings} gives them with dead slots left out: it scores exactly as one
   * built by {@link add} over the same chunks in slot order. The arrays are kept, not copied.
   */
  static fromPostings(
    terms: readonly string[],
    postings: readonly Uint32Array[],
    lengths: Uint32Array<ArrayBuffer>,
  ): Bm25Index {
    const index = new Bm25Index();
    for (const [i, term] of terms.entries()) {
      const entries = postings[i] as Uint32Array;
      if (entries.length > 0)
        index.postings.set(term, { entries, length: entries.length, df: entries.length });
    }
    index.lengths = lengths.length > 0 ? lengths : index.lengths;
    index.liveCount = lengths.length;
    for (const length of lengths) index.totalLength += length;
    return index;
  }
}

/** A {@link Bm25Index}'s contents as arrays (see `exportPostings`). */
export interface ExportedPostings {
  terms: string[];
  postings: Uint32Array[];
  /** Terms per slot, indexed by slot (longer than the slots in use). */
  lengths: Uint32Array;
}

function grow<T extends Uint32Array>(array: T, minimum: number): T {
  let size = Math.max(array.length * 2, 4);
  while (size < minimum) size *= 2;
  const next = new Uint32Array(size);
  next.set(array);
  return next as T;
}
