import { Bm25Index } from './bm25.ts';
import { chunkTerms } from './lexical-text.ts';
import { TopK } from './top-k.ts';
import type { DocumentRecord, EmbedderIdentity, SearchFilter, StoredChunk } from './types.ts';
import type { QuantizedVectors } from './vector-codec.ts';

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

/** Dead slots are reclaimed once they are this share of all slots (and at least 1024). */
const COMPACT_RATIO = 0.25;

/**
 * One namespace held in memory: every live chunk's text, metadata, int8 vector and BM25
 * postings, addressed by slot. Documents are replaced by killing their slots and
 * appending new ones; the arrays are rebuilt once dead slots pile up.
 */
export class NamespaceSnapshot {
  dimensions: number;
  version: number;
  embedder: EmbedderIdentity | undefined;
  private readonly entries = new Map<string, Entry>();
  private slotEntries: (Entry | undefined)[] = [];
  private slotChunks: (StoredChunk | undefined)[] = [];
  private values: Int8Array;
  private scales: Float32Array;
  private live: Uint8Array;
  private lexicon = new Bm25Index();
  private used = 0;
  private liveCount = 0;

  constructor(dimensions: number, version: number, embedder: EmbedderIdentity | undefined) {
    this.dimensions = dimensions;
    this.version = version;
    this.embedder = embedder;
    this.values = new Int8Array(64 * dimensions);
    this.scales = new Float32Array(64);
    this.live = new Uint8Array(64);
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
    if (this.used === 0 && document.record.dimensions !== this.dimensions) {
      // The first document of an empty namespace decides its dimension.
      this.dimensions = document.record.dimensions;
      this.values = new Int8Array(this.live.length * this.dimensions);
    }
    const count = document.chunks.length;
    this.reserve(this.used + count);
    const entry: Entry = { record: document.record, start: this.used, count };
    this.values.set(
      document.vectors.values.subarray(0, count * this.dimensions),
      entry.start * this.dimensions,
    );
    this.scales.set(document.vectors.scales.subarray(0, count), entry.start);
    document.chunks.forEach((chunk, index) => {
      const slot = entry.start + index;
      this.slotEntries[slot] = entry;
      this.slotChunks[slot] = chunk;
      this.live[slot] = 1;
      this.lexicon.add(slot, chunkTerms(document.record.title, chunk));
    });
    this.used += count;
    this.liveCount += count;
    this.entries.set(document.record.id, entry);
    this.embedder ??= { id: document.record.embedder, dimensions: document.record.dimensions };
  }

  remove(documentId: string): boolean {
    const entry = this.entries.get(documentId);
    if (!entry) return false;
    for (let slot = entry.start; slot < entry.start + entry.count; slot += 1) {
      const chunk = this.slotChunks[slot] as StoredChunk;
      this.lexicon.remove(slot, chunkTerms(entry.record.title, chunk));
      this.live[slot] = 0;
      this.slotEntries[slot] = undefined;
      this.slotChunks[slot] = undefined;
    }
    this.liveCount -= entry.count;
    this.entries.delete(documentId);
    const dead = this.used - this.liveCount;
    if (dead >= 1024 && dead >= this.used * COMPACT_RATIO) this.compact();
    return true;
  }

  /** Every live document with its chunks and vectors (copies of the vectors). */
  documents(): LoadedDocument[] {
    const dims = this.dimensions;
    return [...this.entries.values()].map((entry) => ({
      record: entry.record,
      chunks: this.slotChunks.slice(entry.start, entry.start + entry.count) as StoredChunk[],
      vectors: {
        values: this.values.slice(entry.start * dims, (entry.start + entry.count) * dims),
        scales: this.scales.slice(entry.start, entry.start + entry.count),
      },
    }));
  }

  record(documentId: string): DocumentRecord | undefined {
    return this.entries.get(documentId)?.record;
  }

  chunk(slot: number): { record: DocumentRecord; chunk: StoredChunk } {
    return {
      record: (this.slotEntries[slot] as Entry).record,
      chunk: this.slotChunks[slot] as StoredChunk,
    };
  }

  /** Slots the filter lets through, or `undefined` when there is no filter. */
  filterMask(filter: SearchFilter | undefined): Uint8Array | undefined {
    if (!filter) return undefined;
    const { documentIds, sources, metadata } = filter;
    if (!documentIds?.length && !sources?.length && !Object.keys(metadata ?? {}).length) {
      return undefined;
    }
    const mask = new Uint8Array(this.used);
    const entries = documentIds?.length
      ? documentIds.flatMap((id) => this.entries.get(id) ?? [])
      : this.entries.values();
    const sourceSet = sources?.length ? new Set(sources) : undefined;
    const wanted = Object.entries(metadata ?? {});
    for (const entry of entries) {
      if (sourceSet && !sourceSet.has(entry.record.source)) continue;
      for (let slot = entry.start; slot < entry.start + entry.count; slot += 1) {
        const chunk = this.slotChunks[slot] as StoredChunk;
        const matches = wanted.every(
          ([key, value]) => (chunk.metadata[key] ?? entry.record.metadata[key]) === value,
        );
        if (matches) mask[slot] = 1;
      }
    }
    return mask;
  }

  /** Exact top `limit` slots by cosine similarity (int8 vectors, float query). */
  vectorSearch(query: Float32Array, limit: number, mask: Uint8Array | undefined): Candidate[] {
    const dims = this.dimensions;
    const { values, scales, live } = this;
    const top = new TopK(Math.max(0, Math.min(limit, this.liveCount)));
    const end4 = dims - (dims % 4);
    for (let slot = 0, offset = 0; slot < this.used; slot += 1, offset += dims) {
      if (live[slot] !== 1 || (mask !== undefined && mask[slot] !== 1)) continue;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let j = 0;
      for (; j < end4; j += 4) {
        a0 += (query[j] as number) * (values[offset + j] as number);
        a1 += (query[j + 1] as number) * (values[offset + j + 1] as number);
        a2 += (query[j + 2] as number) * (values[offset + j + 2] as number);
        a3 += (query[j + 3] as number) * (values[offset + j + 3] as number);
      }
      for (; j < dims; j += 1) a0 += (query[j] as number) * (values[offset + j] as number);
      const score = (a0 + a1 + a2 + a3) * (scales[slot] as number);
      if (score > top.threshold) top.push(slot, score);
    }
    return top.sorted().map(({ id, score }) => ({ slot: id, score }));
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

  private reserve(slots: number): void {
    if (slots <= this.live.length) return;
    let capacity = this.live.length;
    while (capacity < slots) capacity *= 2;
    const values = new Int8Array(capacity * this.dimensions);
    values.set(this.values.subarray(0, this.used * this.dimensions));
    const scales = new Float32Array(capacity);
    scales.set(this.scales.subarray(0, this.used));
    const live = new Uint8Array(capacity);
    live.set(this.live.subarray(0, this.used));
    this.values = values;
    this.scales = scales;
    this.live = live;
  }

  /** Rebuilds the slot arrays and postings from the live chunks only. */
  private compact(): void {
    const dims = this.dimensions;
    const documents = this.documents();
    this.entries.clear();
    this.slotEntries = [];
    this.slotChunks = [];
    this.live = new Uint8Array(Math.max(64, this.liveCount));
    this.values = new Int8Array(this.live.length * dims);
    this.scales = new Float32Array(this.live.length);
    this.lexicon = new Bm25Index();
    this.used = 0;
    this.liveCount = 0;
    for (const document of documents) this.upsert(document);
  }
}
