import { Bm25Index, type Bm25Options, type ExportedPostings } from './bm25.ts';
import { chunkTerms } from './lexical-text.ts';
import type { ChunkSource, PackedChunks } from './packed-chunks.ts';
import { TopK } from './top-k.ts';
import type { DocumentRecord, EmbedderIdentity, SearchFilter, StoredChunk } from './types.ts';
import type { QuantizedVectors } from './vector-codec.ts';
import { VectorStore } from './vector-store.ts';

/** A document as loaded: its record, chunks and quantised vectors. */
export interface LoadedDocument {
  record: DocumentRecord;
  chunks: StoredChunk[];
  vectors: QuantizedVectors;
}

interface Entry {
  record: DocumentRecord;
  /** First slot; a document's chunks occupy consecutive slots. */
  start: number;
  count: number;
}

export interface Candidate {
  slot: number;
  score: number;
}

/** What a stored snapshot restores: live documents in slot order and what their slots hold. */
export interface RestoredNamespace {
  version: number;
  embedder: EmbedderIdentity | undefined;
  documents: readonly { record: DocumentRecord; count: number }[];
  /** Every slot's int8 values, already in place. */
  vectors: VectorStore;
  scales: Float32Array;
  chunks: PackedChunks;
  lexicon: Bm25Index;
}

/**
 * Where a restored namespace's text blocks are when its load left them in Redis: byte
 * ranges of the blocks back to back. Both throw `SnapshotTextGoneError` once the
 * snapshot they come from was replaced.
 */
export interface DeferredText {
  fetchBlocks(ranges: readonly [number, number][]): Promise<Uint8Array[]>;
  fetchAll(): Promise<Uint8Array>;
}

/** A live document as a snapshot writer reads it: its record and slots. */
export interface DocumentSlots {
  record: DocumentRecord;
  start: number;
  count: number;
}

/** Dead slots are reclaimed once they are this share of all slots (and at least 1024). */
const COMPACT_RATIO = 0.25;

/**
 * One namespace held in memory: every live chunk's text, metadata, int8 vector and BM25
 * postings, addressed by slot. Documents are replaced by killing their slots and
 * appending new ones; the arrays are rebuilt once dead slots pile up.
 */
export class NamespaceSnapshot {
  version: number;
  embedder: EmbedderIdentity | undefined;
  private vectors: VectorStore;
  private readonly entries = new Map<string, Entry>();
  private slotEntries: (Entry | undefined)[] = [];
  private slotChunks: (StoredChunk | undefined)[] = [];
  /** Where the chunks of a restored namespace are (slots whose `slotChunks` entry is unset). */
  private packed: PackedChunks | undefined;
  /** Where `packed`'s blocks come from when the load left them in Redis. */
  private deferredText: DeferredText | undefined;
  private allText: Promise<void> | undefined;
  private scales = new Float32Array(64);
  private live = new Uint8Array(64);
  private lexicon: Bm25Index;
  private readonly lexical: Bm25Options;
  private used = 0;
  private liveCount = 0;

  constructor(
    dimensions: number,
    version: number,
    embedder: EmbedderIdentity | undefined,
    lexical: Bm25Options = {},
  ) {
    this.vectors = new VectorStore(dimensions);
    this.version = version;
    this.embedder = embedder;
    this.lexical = lexical;
    this.lexicon = new Bm25Index(lexical);
  }

  get dimensions(): number {
    return this.vectors.dimensions;
  }

  get chunkCount(): number {
    return this.liveCount;
  }

  get documentCount(): number {
    return this.entries.size;
  }

  /** Adds a document, replacing any earlier version of the same id. */
  upsert(document: LoadedDocument): void {
    this.remove(document.record.id);
    const dims = document.record.dimensions;
    if (dims !== this.vectors.dimensions) {
      if (this.used > 0) throw new Error('A namespace cannot hold vectors of two dimensions.');
      // The first document of an empty namespace decides its dimension.
      this.vectors = new VectorStore(dims);
    }
    const count = document.chunks.length;
    this.reserve(this.used + count);
    const entry: Entry = { record: document.record, start: this.used, count };
    this.scales.set(document.vectors.scales.subarray(0, count), entry.start);
    document.chunks.forEach((chunk, index) => {
      const slot = entry.start + index;
      this.vectors.set(slot, document.vectors.values.subarray(index * dims, (index + 1) * dims));
      this.slotEntries[slot] = entry;
      this.slotChunks[slot] = chunk;
      this.live[slot] = 1;
      this.lexicon.add(slot, chunkTerms(document.record.title, chunk));
    });
    this.used += count;
    this.liveCount += count;
    this.entries.set(document.record.id, entry);
    this.embedder ??= { id: document.record.embedder, dimensions: dims };
  }

  remove(documentId: string): boolean {
    const entry = this.entries.get(documentId);
    if (!entry) return false;
    for (let slot = entry.start; slot < entry.start + entry.count; slot += 1) {
      this.lexicon.remove(slot, chunkTerms(entry.record.title, this.chunkAt(slot)));
      this.live[slot] = 0;
      this.slotEntries[slot] = undefined;
      this.slotChunks[slot] = undefined;
    }
    this.liveCount -= entry.count;
    this.entries.delete(documentId);
    const dead = this.used - this.liveCount;
    // Compaction re-reads every chunk, so it waits until all text is in memory.
    if (this.textLoaded && dead >= 1024 && dead >= this.used * COMPACT_RATIO) this.compact();
    return true;
  }

  /**
   * Loads the text blocks these slots' chunks lie in, where the load left them in Redis:
   * call before {@link chunk}, {@link remove} or {@link upsert} of a stored document
   * reads them. One round trip when any is missing.
   */
  async loadText(slots: Iterable<number>): Promise<void> {
    const { packed, deferredText } = this;
    const missing = this.missingTextBlocks(slots);
    if (!packed || !deferredText || missing.length === 0) return;
    const blocks = await deferredText.fetchBlocks(missing.map((index) => packed.blockRange(index)));
    missing.forEach((index, i) => {
      packed.addBlock(index, blocks[i] as Uint8Array);
    });
  }

  /** Whether every chunk's text is in memory (not so right after a cold load). */
  get textLoaded(): boolean {
    return !this.packed || this.packed.complete;
  }

  /** Whether a document's chunks (if it holds it) can be read without loading text. */
  hasTextOf(documentId: string): boolean {
    const entry = this.entries.get(documentId);
    return !entry || this.missingTextBlocks(slotsOf(entry)).length === 0;
  }

  /** {@link loadText} for every chunk of these documents (those it holds). */
  loadDocumentText(documentIds: Iterable<string>): Promise<void> {
    const slots: number[] = [];
    for (const id of documentIds) {
      const entry = this.entries.get(id);
      if (entry) slots.push(...slotsOf(entry));
    }
    return this.loadText(slots);
  }

  /** The text blocks not in memory that hold these slots' chunks, when read from the snapshot. */
  private missingTextBlocks(slots: Iterable<number>): number[] {
    const { packed } = this;
    if (!packed || packed.complete) return [];
    const fromSnapshot: number[] = [];
    for (const slot of slots) {
      if (slot < packed.slots && this.slotChunks[slot] === undefined) fromSnapshot.push(slot);
    }
    return packed.missingBlocks(fromSnapshot);
  }

  /**
   * Loads every text block left in Redis (once, however many ask), after which the
   * namespace no longer depends on its snapshot. A cold container starts this in the
   * background after its first search; a snapshot writer waits for it.
   */
  loadAllText(): Promise<void> {
    const { packed, deferredText } = this;
    if (!packed || packed.complete || !deferredText) return Promise.resolve();
    this.allText ??= deferredText.fetchAll().then(
      (blocks) => packed.setBlocks(blocks),
      (error: unknown) => {
        this.allText = undefined;
        throw error;
      },
    );
    return this.allText;
  }

  /** Every live document with its chunks and (copied) vectors. */
  documents(): LoadedDocument[] {
    const dims = this.dimensions;
    return [...this.entries.values()].map((entry) => {
      const values = new Int8Array(entry.count * dims);
      for (let row = 0; row < entry.count; row += 1) {
        values.set(this.vectors.get(entry.start + row), row * dims);
      }
      return {
        record: entry.record,
        chunks: Array.from({ length: entry.count }, (_, row) => this.chunkAt(entry.start + row)),
        vectors: { values, scales: this.scales.slice(entry.start, entry.start + entry.count) },
      };
    });
  }

  record(documentId: string): DocumentRecord | undefined {
    return this.entries.get(documentId)?.record;
  }

  chunk(slot: number): { record: DocumentRecord; chunk: StoredChunk } {
    return { record: (this.slotEntries[slot] as Entry).record, chunk: this.chunkAt(slot) };
  }

  /**
   * A namespace restored from a stored snapshot. Its postings, vectors and chunk text
   * are taken as they are, so the load costs copies, not per-chunk work.
   */
  static restore(restored: RestoredNamespace, text?: DeferredText): NamespaceSnapshot {
    const snapshot = new NamespaceSnapshot(
      restored.vectors.dimensions,
      restored.version,
      restored.embedder,
    );
    const slots = restored.scales.length;
    snapshot.vectors = restored.vectors;
    snapshot.reserve(slots);
    snapshot.scales.set(restored.scales);
    snapshot.live.fill(1, 0, slots);
    snapshot.lexicon = restored.lexicon;
    snapshot.packed = restored.chunks;
    snapshot.deferredText = restored.chunks.complete ? undefined : text;
    if (!restored.chunks.complete && !text) throw new RangeError('no source for the text blocks');
    snapshot.slotEntries = new Array(slots);
    snapshot.slotChunks = new Array(slots);
    let start = 0;
    for (const { record, count } of restored.documents) {
      const entry: Entry = { record, start, count };
      snapshot.slotEntries.fill(entry, start, start + count);
      snapshot.entries.set(record.id, entry);
      start += count;
    }
    snapshot.used = slots;
    snapshot.liveCount = slots;
    return snapshot;
  }

  /** Live documents in slot order, for a snapshot writer. */
  liveDocuments(): DocumentSlots[] {
    return [...this.entries.values()]
      .map(({ record, start, count }) => ({ record, start, count }))
      .sort((a, b) => a.start - b.start);
  }

  /** A slot's metadata JSON (see {@link chunkMetaJson}) and text, as stored. */
  chunkSource(slot: number): ChunkSource {
    const chunk = this.slotChunks[slot];
    if (chunk) {
      return {
        meta: chunkMetaJson(chunk),
        text: chunk.text,
        ownMetadata: Object.keys(chunk.metadata).length > 0,
      };
    }
    return (this.packed as PackedChunks).source(slot);
  }

  /** One slot's int8 values (a view: copy before keeping). */
  vectorRow(slot: number): Int8Array {
    return this.vectors.row(slot);
  }

  scale(slot: number): number {
    return this.scales[slot] as number;
  }

  /** The BM25 postings as the index holds them (dead slots included). */
  exportPostings(): ExportedPostings {
    return this.lexicon.exportPostings();
  }

  /**
   * {@link loadText} for the chunks a metadata filter must read: those with metadata of
   * their own, in the documents the rest of the filter keeps.
   */
  async loadFilterText(filter: SearchFilter | undefined): Promise<void> {
    if (!filter || !Object.keys(filter.metadata ?? {}).length) return;
    const { packed } = this;
    if (!packed || packed.complete) return;
    const slots: number[] = [];
    for (const entry of this.filteredEntries(filter)) {
      for (const slot of slotsOf(entry)) {
        if (slot < packed.slots && packed.ownMetadata(slot)) slots.push(slot);
      }
    }
    await this.loadText(slots);
  }

  /** Slots the filter lets through, or `undefined` when there is no filter. */
  filterMask(filter: SearchFilter | undefined): Uint8Array | undefined {
    if (!filter) return undefined;
    const { documentIds, sources, metadata } = filter;
    if (!documentIds?.length && !sources?.length && !Object.keys(metadata ?? {}).length) {
      return undefined;
    }
    const wanted = Object.entries(metadata ?? {});
    const mask = new Uint8Array(this.used);
    for (const entry of this.filteredEntries(filter)) {
      for (let slot = entry.start; slot < entry.start + entry.count; slot += 1) {
        const metadata = wanted.length > 0 ? this.chunkMetadata(slot) : NO_METADATA;
        const matches = wanted.every(
          ([key, value]) => ownValue(metadata, key, ownValue(entry.record.metadata, key)) === value,
        );
        if (matches) mask[slot] = 1;
      }
    }
    return mask;
  }

  /** Exact top `limit` slots by cosine similarity over the int8 vectors. */
  vectorSearch(query: Float32Array, limit: number, mask: Uint8Array | undefined): Candidate[] {
    const { dots, scale } = this.vectors.dots(query, this.used);
    const { scales, live } = this;
    const top = new TopK(Math.max(0, Math.min(limit, this.liveCount)));
    for (let slot = 0; slot < this.used; slot += 1) {
      if (live[slot] !== 1 || (mask !== undefined && mask[slot] !== 1)) continue;
      const score = (dots[slot] as number) * (scales[slot] as number);
      if (score > top.threshold) top.push(slot, score);
    }
    return top.sorted().map(({ id, score }) => ({ slot: id, score: score / scale }));
  }

  /** Top `limit` slots by BM25 for already tokenised query terms. */
  lexicalSearch(
    terms: readonly string[],
    limit: number,
    mask: Uint8Array | undefined,
  ): Candidate[] {
    return this.lexicon
      .search(terms, limit, this.live, mask)
      .map(({ id, score }) => ({ slot: id, score }));
  }

  /**
   * Exact cosine similarities of the query with the given slots, equal to the scores
   * `vectorSearch` gives them (the same integer dot products, for these rows only), so
   * fusion can score candidates another ranker found. About 0.15 ms for 200 slots at 512
   * dimensions; a slot that is not live scores NaN.
   */
  vectorScores(query: Float32Array, slots: ArrayLike<number>): Float64Array {
    const { dots, scale } = this.vectors.dotsOf(query, slots);
    const scores = new Float64Array(slots.length);
    for (let i = 0; i < slots.length; i += 1) {
      const slot = slots[i] as number;
      scores[i] =
        this.live[slot] === 1
          ? ((dots[i] as number) * (this.scales[slot] as number)) / scale
          : Number.NaN;
    }
    return scores;
  }

  /**
   * Exact BM25 scores of the given slots for already tokenised query terms, equal to the
   * scores `lexicalSearch` gives them (0 where no term occurs); a slot that is not live
   * scores NaN.
   */
  lexicalScores(terms: readonly string[], slots: ArrayLike<number>): Float64Array {
    const scores = this.lexicon.scoreSlots(terms, slots);
    for (let i = 0; i < slots.length; i += 1) {
      if (this.live[slots[i] as number] !== 1) scores[i] = Number.NaN;
    }
    return scores;
  }

  private chunkAt(slot: number): StoredChunk {
    const chunk = this.slotChunks[slot];
    if (chunk) return chunk;
    const { meta, text } = this.chunkSource(slot);
    return parseChunk(meta, text);
  }

  /** The documents a filter's ids and sources let through. */
  private filteredEntries(filter: SearchFilter): Entry[] {
    const { documentIds, sources } = filter;
    const sourceSet = sources?.length ? new Set(sources) : undefined;
    const entries = documentIds?.length
      ? documentIds.flatMap((id) => this.entries.get(id) ?? [])
      : [...this.entries.values()];
    return entries.filter((entry) => !sourceSet || sourceSet.has(entry.record.source));
  }

  private chunkMetadata(slot: number): Record<string, string> {
    const chunk = this.slotChunks[slot];
    if (chunk) return chunk.metadata;
    return this.packed?.ownMetadata(slot) ? this.chunkAt(slot).metadata : NO_METADATA;
  }

  private reserve(slots: number): void {
    this.vectors.reserve(slots);
    if (slots <= this.live.length) return;
    let capacity = this.live.length;
    while (capacity < slots) capacity *= 2;
    const scales = new Float32Array(capacity);
    scales.set(this.scales.subarray(0, this.used));
    const live = new Uint8Array(capacity);
    live.set(this.live.subarray(0, this.used));
    this.scales = scales;
    this.live = live;
  }

  /** Rebuilds the slot arrays and postings from the live chunks only. */
  private compact(): void {
    const documents = this.documents();
    this.entries.clear();
    this.slotEntries = [];
    this.slotChunks = [];
    this.packed = undefined;
    this.live.fill(0);
    this.lexicon = new Bm25Index(this.lexical);
    this.used = 0;
    this.liveCount = 0;
    for (const document of documents) this.upsert(document);
  }
}

const NO_METADATA: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** The slots a document's chunks occupy. */
function* slotsOf(entry: Entry): Generator<number> {
  for (let slot = entry.start; slot < entry.start + entry.count; slot += 1) yield slot;
}

type ChunkMeta = [
  ordinal: number,
  headingPath: string[],
  pageRange: StoredChunk['pageRange'],
  start: number,
  end: number,
  metadata: Record<string, string>,
];

/** A chunk's fields other than its text, as one JSON array: how a snapshot stores them. */
export function chunkMetaJson(chunk: StoredChunk): string {
  const meta: ChunkMeta = [
    chunk.ordinal,
    chunk.headingPath,
    chunk.pageRange,
    chunk.offsets.start,
    chunk.offsets.end,
    chunk.metadata,
  ];
  return JSON.stringify(meta);
}

function parseChunk(metaJson: string, text: string): StoredChunk {
  const [ordinal, headingPath, pageRange, start, end, metadata] = JSON.parse(metaJson) as ChunkMeta;
  return { ordinal, text, headingPath, pageRange, offsets: { start, end }, metadata };
}

/** Own properties only: a key such as `toString` must not match the prototype's method. */
function ownValue(
  record: Record<string, string>,
  key: string,
  fallback?: string | undefined,
): string | undefined {
  return Object.hasOwn(record, key) ? record[key] : fallback;
}
