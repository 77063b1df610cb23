import { deflateRawSync } from 'node:zlib';
import { decodeBase64Into } from '../../platform/redis/index.ts';
import { Bm25Index } from './bm25.ts';
import { SnapshotCorruptError } from './errors.ts';
import { LEXICAL_ANALYSIS } from './lexical-text.ts';
import type { NamespaceSnapshot, RestoredNamespace } from './namespace-snapshot.ts';
import { LOCATION_STRIDE, OWN_METADATA, PackedChunks } from './packed-chunks.ts';
import { encodePostingLists } from './posting-codec.ts';
import type { DocumentRecord, EmbedderIdentity } from './types.ts';
import { VectorStore } from './vector-store.ts';

/** Bumped when the stored layout changes; a reader ignores snapshots of another format. */
const FORMAT = 2;
/**
 * Largest segment as sent and received (base64): a few go in one request, well under
 * Upstash's 10 MB request limit.
 */
export const SEGMENT_BYTES = 4 * 1024 * 1024;
/** Raw bytes per segment: base64 of it is `SEGMENT_BYTES`; a multiple of 12 (3 and 4). */
const BINARY_SEGMENT_BYTES = (SEGMENT_BYTES / 4) * 3;

type SectionName =
  | 'documents'
  | 'terms'
  | 'textBlocks'
  | 'blockOffsets'
  | 'locations'
  | 'vectors'
  | 'scales'
  | 'lengths'
  | 'termCounts'
  | 'postingOffsets'
  | 'postings';

/**
 * One part of the snapshot: bytes (UTF-8 JSON, little-endian typed arrays, varints or
 * compressed text) cut into segments of `BINARY_SEGMENT_BYTES`, each stored as base64.
 */
interface Section {
  name: SectionName;
  segments: number;
  bytes: number;
}

/** What the snapshot pointer stores beside the segments' generation. */
export interface SnapshotManifest {
  format: number;
  /** The {@link LEXICAL_ANALYSIS} its postings were built with. */
  lexicalAnalysis: string;
  version: number;
  embedder: EmbedderIdentity | undefined;
  dimensions: number;
  slots: number;
  segments: number;
  sections: Section[];
}

/** A namespace encoded for storage: its manifest and its segments (base64), in order. */
export interface EncodedSnapshot {
  manifest: SnapshotManifest;
  segments: string[];
}

/**
 * Encodes a loaded namespace's live chunks as a stored snapshot: records, vectors and
 * scales, BM25 postings already built (term list, slot-ordered postings, chunk lengths)
 * and chunk text with its metadata in compressed blocks. Dead slots are left out and the
 * live ones renumbered in order, so the restored index is the compacted one.
 *
 * Synchronous on purpose: the namespace keeps changing under later writes, so it is
 * read whole in one turn of the event loop.
 */
export function encodeSnapshot(snapshot: NamespaceSnapshot): EncodedSnapshot {
  const documents = snapshot.liveDocuments();
  const dimensions = snapshot.dimensions;
  let slots = 0;
  for (const document of documents) slots += document.count;
  const oldSlots = new Int32Array(slots);
  let next = 0;
  for (const { start, count } of documents) {
    for (let row = 0; row < count; row += 1) oldSlots[next++] = start + row;
  }

  const sections: Section[] = [];
  const segments: string[] = [];
  const add = (name: SectionName, array: ArrayBufferView) => {
    const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    const before = segments.length;
    for (let start = 0; start < bytes.length; start += BINARY_SEGMENT_BYTES) {
      segments.push(bytes.subarray(start, start + BINARY_SEGMENT_BYTES).toString('base64'));
    }
    sections.push({ name, segments: segments.length - before, bytes: bytes.length });
  };

  add(
    'documents',
    Buffer.from(JSON.stringify(documents.map(({ record, count }) => [record, count]))),
  );

  const chunkText = packChunks(snapshot, oldSlots);
  add('textBlocks', chunkText.blocks);
  add('blockOffsets', chunkText.blockOffsets);
  add('locations', chunkText.locations);

  const vectors = new Int8Array(slots * dimensions);
  const scales = new Float32Array(slots);
  for (const [slot, old] of oldSlots.entries()) {
    vectors.set(snapshot.vectorRow(old), slot * dimensions);
    scales[slot] = snapshot.scale(old);
  }
  add('vectors', vectors);
  add('scales', scales);

  const lexicon = compactPostings(snapshot, oldSlots);
  add('terms', Buffer.from(JSON.stringify(lexicon.terms)));
  add('lengths', lexicon.lengths);
  add('termCounts', lexicon.termCounts);
  const packed = encodePostingLists(lexicon.postings, lexicon.termCounts);
  add('postingOffsets', packed.offsets);
  add('postings', packed.bytes);

  return {
    manifest: {
      format: FORMAT,
      lexicalAnalysis: LEXICAL_ANALYSIS,
      version: snapshot.version,
      embedder: snapshot.embedder,
      dimensions,
      slots,
      segments: segments.length,
      sections,
    },
    segments,
  };
}

/** Where one segment's decoded bytes go. */
export interface SegmentTarget {
  /** The segment's index among the snapshot's segments. */
  segment: number;
  bytes: Uint8Array;
}

/** Where a snapshot's chunk text lies among its segments, when a read leaves it for later. */
export interface TextSection {
  firstSegment: number;
  segments: number;
  bytes: number;
}

/** Where a stored snapshot's segments go as they are read, and what they then restore. */
export interface SnapshotRead {
  /** The segments to read, each with the bytes its base64 decodes to, written in place. */
  readonly targets: SegmentTarget[];
  /** The chunk text's segments, when left out of `targets`. */
  readonly text: TextSection | undefined;
  /**
   * The namespace, once every target holds its segment. Throws
   * {@link SnapshotCorruptError} if the sections do not fit together.
   */
  restore(): RestoredNamespace;
}

/** Bytes per slot of the sections whose size the slot count fixes. */
const BYTES_PER_SLOT: Partial<Record<SectionName, number>> = {
  locations: LOCATION_STRIDE * 4,
  scales: 4,
  lengths: 4,
};

/**
 * Allocates where each segment of a snapshot goes (the vectors straight into the rows
 * the index searches), so segments are decoded into place as they arrive and nothing
 * is joined or copied afterwards. With `deferText`, the chunk text (a quarter of the
 * bytes) is left out: the restored chunks then load their text blocks when asked (see
 * {@link PackedChunks}). Throws {@link SnapshotCorruptError} for a manifest of another
 * format or analysis, or one whose sizes do not add up.
 */
export function planSnapshotRead(
  manifest: SnapshotManifest,
  options: { deferText?: boolean } = {},
): SnapshotRead {
  if (manifest.format !== FORMAT) throw new SnapshotCorruptError('format');
  // Postings made by another analysis (an older tokenizer, say) would mix two sets of terms.
  if (manifest.lexicalAnalysis !== LEXICAL_ANALYSIS) {
    throw new SnapshotCorruptError('lexical analysis');
  }
  const { slots, dimensions } = manifest;
  let segmentCount = 0;
  for (const section of manifest.sections) {
    const expected = section.name === 'vectors' ? slots * dimensions : slotBytes(section, slots);
    if (
      !Number.isSafeInteger(section.bytes) ||
      section.bytes < 0 ||
      (expected !== undefined && section.bytes !== expected) ||
      section.segments !== Math.ceil(section.bytes / BINARY_SEGMENT_BYTES)
    ) {
      throw new SnapshotCorruptError(`size of ${section.name}`);
    }
    segmentCount += section.segments;
  }
  if (segmentCount !== manifest.segments) throw new SnapshotCorruptError('segment count');

  const vectors = new VectorStore(dimensions);
  vectors.reserve(slots);
  const packedRows = vectors.packedRows(slots);
  const buffers = new Map<SectionName, Uint8Array>();
  const targets: SegmentTarget[] = [];
  let text: TextSection | undefined;
  let segment = 0;
  for (const section of manifest.sections) {
    if (section.name === 'textBlocks' && options.deferText) {
      text = { firstSegment: segment, segments: section.segments, bytes: section.bytes };
      segment += section.segments;
      continue;
    }
    const bytes =
      section.name === 'vectors' && packedRows ? packedRows : new Uint8Array(section.bytes);
    buffers.set(section.name, bytes);
    targets.push(...segmentTargets(bytes, segment));
    segment += section.segments;
  }
  return {
    targets,
    text,
    restore: () => restoreSections(manifest, buffers, vectors, packedRows !== undefined, text),
  };
}

/** A section's bytes cut into the segments it is stored in, the first numbered `firstSegment`. */
export function segmentTargets(bytes: Uint8Array, firstSegment: number): SegmentTarget[] {
  const targets: SegmentTarget[] = [];
  for (let start = 0; start < bytes.length; start += BINARY_SEGMENT_BYTES) {
    targets.push({
      segment: firstSegment + start / BINARY_SEGMENT_BYTES,
      bytes: bytes.subarray(start, start + BINARY_SEGMENT_BYTES),
    });
  }
  return targets;
}

/** A piece of a text section's bytes: which segment, which base64 characters, which bytes. */
export interface TextPiece {
  segment: number;
  /** Characters `[from, to)` of the segment's base64: whole groups of four. */
  from: number;
  to: number;
  /** Bytes to drop from the start of those characters' decoding, and bytes to keep. */
  skip: number;
  length: number;
}

/** The pieces of segments that hold bytes `[start, end)` of a text section, in order. */
export function textPieces(section: TextSection, start: number, end: number): TextPiece[] {
  if (start < 0 || end > section.bytes || start > end) throw new RangeError('text range');
  const pieces: TextPiece[] = [];
  let at = start;
  while (at < end) {
    const index = Math.floor(at / BINARY_SEGMENT_BYTES);
    const base = index * BINARY_SEGMENT_BYTES;
    const localStart = at - base;
    const localEnd = Math.min(end, base + BINARY_SEGMENT_BYTES) - base;
    const firstGroup = Math.floor(localStart / 3);
    pieces.push({
      segment: section.firstSegment + index,
      from: firstGroup * 4,
      to: Math.ceil(localEnd / 3) * 4,
      skip: localStart - firstGroup * 3,
      length: localEnd - localStart,
    });
    at = base + localEnd;
  }
  return pieces;
}

function slotBytes(section: Section, slots: number): number | undefined {
  const perSlot = BYTES_PER_SLOT[section.name];
  return perSlot === undefined ? undefined : perSlot * slots;
}

/**
 * Rebuilds a namespace from its manifest and segments as base64 strings (as the Redis
 * client reads them). Throws {@link SnapshotCorruptError} if they do not fit together,
 * so the caller loads in full.
 */
export function decodeSnapshot(
  manifest: SnapshotManifest,
  segments: readonly string[],
): RestoredNamespace {
  const read = planSnapshotRead(manifest);
  if (segments.length !== read.targets.length) throw new SnapshotCorruptError('segment count');
  for (const { segment, bytes } of read.targets) {
    if (!decodeBase64Into(segments[segment] as string, bytes)) {
      throw new SnapshotCorruptError(`segment ${segment}`);
    }
  }
  return read.restore();
}

function restoreSections(
  manifest: SnapshotManifest,
  buffers: ReadonlyMap<SectionName, Uint8Array>,
  vectors: VectorStore,
  vectorsInPlace: boolean,
  text: TextSection | undefined,
): RestoredNamespace {
  const bytes = (name: SectionName): Uint8Array => {
    const section = buffers.get(name);
    if (!section) throw new SnapshotCorruptError(`missing section ${name}`);
    return section;
  };
  const json = <T>(name: SectionName): T => {
    try {
      const section = bytes(name);
      return JSON.parse(
        Buffer.from(section.buffer, section.byteOffset, section.length).toString('utf8'),
      ) as T;
    } catch {
      throw new SnapshotCorruptError(`JSON of ${name}`);
    }
  };
  const words = (name: SectionName) => {
    const section = bytes(name);
    if (section.length % 4 !== 0) throw new SnapshotCorruptError(`size of ${name}`);
    return section.buffer as ArrayBuffer;
  };

  const { slots } = manifest;
  const documents = json<[DocumentRecord, number][]>('documents').map(([record, count]) => ({
    record,
    count,
  }));
  const terms = json<string[]>('terms');
  const locations = new Uint32Array(words('locations'));
  const scales = new Float32Array(words('scales'));
  const lengths = new Uint32Array(words('lengths'));
  const termCounts = new Uint32Array(words('termCounts'));
  const postingOffsets = new Uint32Array(words('postingOffsets'));
  const postings = bytes('postings');
  const blocks = text ? undefined : bytes('textBlocks');
  const textBytes = text ? text.bytes : (blocks as Uint8Array).length;
  const blockOffsets = new Uint32Array(words('blockOffsets'));
  if (!vectorsInPlace) {
    const values = bytes('vectors');
    vectors.setRows(0, new Int8Array(values.buffer, values.byteOffset, values.length), slots);
  }

  let documentSlots = 0;
  for (const { count } of documents) documentSlots += count;
  if (
    documentSlots !== slots ||
    termCounts.length !== terms.length ||
    postingOffsets.length !== terms.length + 1 ||
    !ascendsFromZeroTo(postingOffsets, postings.length) ||
    !ascendsFromZeroTo(blockOffsets, textBytes)
  ) {
    throw new SnapshotCorruptError('section sizes');
  }
  return {
    version: manifest.version,
    embedder: manifest.embedder,
    documents,
    vectors,
    scales,
    chunks: new PackedChunks(blockOffsets, locations, blocks),
    lexicon: Bm25Index.fromPackedPostings(terms, termCounts, postings, postingOffsets, lengths),
  };
}

/** Whether offsets start at 0, never go back and end at `end`. */
function ascendsFromZeroTo(offsets: Uint32Array, end: number): boolean {
  if (offsets[0] !== 0 || offsets.at(-1) !== end) return false;
  for (let i = 1; i < offsets.length; i += 1) {
    if ((offsets[i] as number) < (offsets[i - 1] as number)) return false;
  }
  return true;
}

/**
 * Text per compressed block, in UTF-16 units: small enough to inflate for one hit (at
 * 64K a top-10 search spent ~3 ms inflating, at 16K under 1 ms, for 4% more bytes).
 */
const BLOCK_CHARACTERS = 16 * 1024;

/**
 * Each live chunk's metadata JSON and text, in blocks of whole chunks compressed one by
 * one (see {@link PackedChunks}), with where each chunk lies in its block.
 */
function packChunks(snapshot: NamespaceSnapshot, oldSlots: Int32Array) {
  const compressed: Buffer[] = [];
  const offsets = [0];
  const locations = new Uint32Array(oldSlots.length * LOCATION_STRIDE);
  let pieces: string[] = [];
  let length = 0;
  const flush = () => {
    const block = deflateRawSync(Buffer.from(pieces.join('')), { level: 1 });
    compressed.push(block);
    offsets.push((offsets.at(-1) as number) + block.length);
    pieces = [];
    length = 0;
  };
  for (const [slot, old] of oldSlots.entries()) {
    const { meta, text, ownMetadata } = snapshot.chunkSource(old);
    if (length > 0 && length + meta.length + text.length > BLOCK_CHARACTERS) flush();
    const at = slot * LOCATION_STRIDE;
    locations[at] = compressed.length | (ownMetadata ? OWN_METADATA : 0);
    locations[at + 1] = length;
    locations[at + 2] = length + meta.length;
    locations[at + 3] = length + meta.length + text.length;
    pieces.push(meta, text);
    length += meta.length + text.length;
  }
  if (length > 0) flush();
  return {
    blocks: Buffer.concat(compressed),
    blockOffsets: Uint32Array.from(offsets),
    locations,
  };
}

/** Postings of live slots only, renumbered; empty terms dropped. */
function compactPostings(snapshot: NamespaceSnapshot, oldSlots: Int32Array) {
  const exported = snapshot.exportPostings();
  const newSlot = new Int32Array(Math.max(exported.lengths.length, 1)).fill(-1);
  const lengths = new Uint32Array(oldSlots.length);
  for (const [slot, old] of oldSlots.entries()) {
    newSlot[old] = slot;
    lengths[slot] = exported.lengths[old] as number;
  }
  let capacity = 0;
  for (const list of exported.postings) capacity += list.length;
  const postings = new Uint32Array(capacity);
  const terms: string[] = [];
  const counts: number[] = [];
  let written = 0;
  for (const [i, list] of exported.postings.entries()) {
    const before = written;
    for (const entry of list) {
      const slot = newSlot[entry >>> 8] as number;
      if (slot >= 0) postings[written++] = ((slot << 8) | (entry & 0xff)) >>> 0;
    }
    if (written > before) {
      terms.push(exported.terms[i] as string);
      counts.push(written - before);
    }
  }
  return {
    terms,
    lengths,
    termCounts: Uint32Array.from(counts),
    postings: postings.subarray(0, written),
  };
}
