import {
  BlockMaxima,
  type Bm25Shape,
  lowerBound,
  maxScoreSearch,
  type QueryTerm,
  termScore,
} from './max-score.ts';
import { decodePostingList } from './posting-codec.ts';
import { TopK } from './top-k.ts';

const MAX_SLOT = 2 ** 24 - 1;
const MAX_TF = 255;

/** Okapi BM25 parameters. */
export interface Bm25Options {
  /** Term-frequency saturation; 1.2 unless set. */
  k1?: number;
  /** Length normalisation, from 0 (none) to 1 (full); 0.75 unless set. */
  b?: number;
}

/**
 * One term's postings: `slot << 8 | tf` per chunk containing it, in slot order, grown by
 * doubling. This is the index's source of truth; `blocks` is derived from it.
 */
interface Postings {
  /** Read through `Bm25Index.entries`: empty while the list is still packed. */
  entries: Uint32Array;
  /**
   * Where the list lies in `Bm25Index.packed` while it is still as a stored snapshot
   * holds it (it is decoded on first use); -1 once decoded or for a list built here.
   */
  packedStart: number;
  packedEnd: number;
  length: number;
  /** Live chunks containing the term. */
  df: number;
  /** Per-block bounds for pruning, built on the term's first query and extended after. */
  blocks: BlockMaxima | undefined;
}

/**
 * An in-memory BM25 index over numbered slots (chunks). Removing a slot updates the
 * statistics (document frequencies, average length) at once but leaves its postings in
 * place; searches skip dead slots, and the owner rebuilds when too many are dead.
 *
 * A chunk's score is the sum, over the distinct query terms in query order, of
 * `idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / averageLength))`.
 */
export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  private readonly postings = new Map<string, Postings>();
  /** Packed postings of a restored index (see {@link fromPackedPostings}). */
  private packed: Uint8Array = new Uint8Array(0);
  private lengths = new Uint32Array(1024);
  /** Per-slot score accumulator reused by exhaustive searches (all zero between them). */
  private scratch = new Float64Array(1024);
  private liveCount = 0;
  private totalLength = 0;

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
  }

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
        list = {
          entries: new Uint32Array(4),
          packedStart: -1,
          packedEnd: -1,
          length: 0,
          df: 0,
          blocks: undefined,
        };
        this.postings.set(term, list);
      }
      const entries = this.entries(list);
      // Slots arrive in increasing order, so a repeat of the term in this chunk is the
      // list's last entry: count it there instead of building a term-count map per chunk.
      const last = list.length > 0 ? (entries[list.length - 1] as number) : -1;
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
   * The `limit` best slots for the query terms, best first, equal scores by lower slot.
   * `live[slot]` must be 1 for slots still present; `mask`, when given, must be 1 for
   * slots a filter lets through. Skips chunks that cannot reach the top (MaxScore over
   * block maxima) and returns exactly what {@link searchExhaustive} returns.
   */
  search(
    queryTerms: readonly string[],
    limit: number,
    live: Uint8Array,
    mask: Uint8Array | undefined,
  ): { id: number; score: number }[] {
    const shape = this.shape();
    if (!shape || limit <= 0) return [];
    const terms: QueryTerm[] = [];
    for (const [list, idf] of this.queryLists(queryTerms, shape.count)) {
      const entries = this.entries(list);
      list.blocks ??= new BlockMaxima();
      list.blocks.update(entries, list.length, this.lengths);
      terms.push({ entries, length: list.length, idf, blocks: list.blocks });
    }
    return maxScoreSearch(terms, limit, live, mask, shape);
  }

  /** The same result as {@link search}, by scoring every posting of every query term. */
  searchExhaustive(
    ...[queryTerms, limit, live, mask]: Parameters<Bm25Index['search']>
  ): ReturnType<Bm25Index['search']> {
    const shape = this.shape();
    if (!shape || limit <= 0) return [];
    if (this.scratch.length < this.lengths.length)
      this.scratch = new Float64Array(this.lengths.length);
    const scores = this.scratch;
    const touched: number[] = [];
    for (const [list, idf] of this.queryLists(queryTerms, shape.count)) {
      const entries = this.entries(list);
      for (let i = 0; i < list.length; i += 1) {
        const entry = entries[i] as number;
        const slot = entry >>> 8;
        if (live[slot] !== 1 || (mask !== undefined && mask[slot] !== 1)) continue;
        if (scores[slot] === 0) touched.push(slot);
        const tf = entry & MAX_TF;
        const chunkLength = this.lengths[slot] as number;
        scores[slot] = (scores[slot] as number) + termScore(shape, idf, tf, chunkLength);
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
   * Exact BM25 scores of the given slots for the query terms (0 where none occurs), equal
   * to what a search would give them: a binary search per slot and term, so cheap for a
   * few hundred slots. Slots must be live; the caller knows which are.
   */
  scoreSlots(queryTerms: readonly string[], slots: ArrayLike<number>): Float64Array {
    const scores = new Float64Array(slots.length);
    const shape = this.shape();
    if (!shape) return scores;
    for (const [list, idf] of this.queryLists(queryTerms, shape.count)) {
      const entries = this.entries(list);
      for (let i = 0; i < slots.length; i += 1) {
        const slot = slots[i] as number;
        const at = lowerBound(entries, 0, list.length, slot);
        const entry = entries[at] as number;
        if (at < list.length && entry >>> 8 === slot) {
          const tf = entry & MAX_TF;
          const chunkLength = this.lengths[slot] as number;
          scores[i] = (scores[i] as number) + termScore(shape, idf, tf, chunkLength);
        }
      }
    }
    return scores;
  }

  /** What scoring needs besides the postings, or `undefined` when nothing is live. */
  private shape(): Bm25Shape | undefined {
    const count = this.liveCount;
    if (count === 0) return undefined;
    const { k1, b, lengths } = this;
    return { count, averageLength: this.totalLength / count || 1, k1, b, lengths };
  }

  /** The distinct query terms with live postings, in query order, with their idf. */
  private *queryLists(queryTerms: readonly string[], count: number): Generator<[Postings, number]> {
    for (const term of new Set(queryTerms)) {
      const list = this.postings.get(term);
      if (!list || list.df <= 0) continue;
      yield [list, Math.log(1 + (count - list.df + 0.5) / (list.df + 0.5))];
    }
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
      // Decoded for the caller only: a snapshot writer should not unpack the whole index.
      postings.push(
        list.packedStart >= 0
          ? decodePostingList(this.packedList(list), list.length)
          : list.entries.subarray(0, list.length),
      );
    }
    return { terms, postings, lengths: this.lengths };
  }

  /**
   * An index over slots `0..lengths.length-1`, all live, from postings as
   * {@link exportPostings} gives them with dead slots left out, each list packed as
   * `encodePostingLists` packs it (term `i`'s `counts[i]` postings in
   * `bytes[offsets[i], offsets[i + 1])`). It scores exactly as one built by {@link add}
   * over the same chunks in slot order. A list is decoded on its first use, so a load
   * costs no more than the terms its searches touch; the arrays are kept, not copied.
   */
  static fromPackedPostings(
    terms: readonly string[],
    counts: Uint32Array,
    bytes: Uint8Array,
    offsets: Uint32Array,
    lengths: Uint32Array<ArrayBuffer>,
    options: Bm25Options = {},
  ): Bm25Index {
    const index = new Bm25Index(options);
    index.packed = bytes;
    for (const [i, term] of terms.entries()) {
      const count = counts[i] as number;
      if (count === 0) continue;
      // Pruning bounds are built on the term's first query, as for an index built by add.
      index.postings.set(term, {
        entries: EMPTY,
        packedStart: offsets[i] as number,
        packedEnd: offsets[i + 1] as number,
        length: count,
        df: count,
        blocks: undefined,
      });
    }
    index.lengths = lengths.length > 0 ? lengths : index.lengths;
    index.liveCount = lengths.length;
    for (const length of lengths) index.totalLength += length;
    return index;
  }

  /** A list's postings, decoded from its packed form on first use. */
  private entries(list: Postings): Uint32Array {
    if (list.packedStart >= 0) {
      list.entries = decodePostingList(this.packedList(list), list.length);
      list.packedStart = -1;
      list.packedEnd = -1;
    }
    return list.entries;
  }

  private packedList(list: Postings): Uint8Array {
    return this.packed.subarray(list.packedStart, list.packedEnd);
  }
}

const EMPTY = new Uint32Array(0);

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
