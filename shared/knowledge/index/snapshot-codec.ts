import { deflateRawSync } from 'node:zlib';
import { Bm25Index } from './bm25.ts';
import { SnapshotCorruptError } from './errors.ts';
import { LEXICAL_ANALYSIS } from './lexical-text.ts';
import type { NamespaceSnapshot, RestoredNamespace } from './namespace-snapshot.ts';
import { LOCATION_STRIDE, OWN_METADATA, PackedChunks } from './packed-chunks.ts';
import type { DocumentRecord, EmbedderIdentity } from './types.ts';

/** Bumped when the stored layout changes; a reader ignores snapshots of another format. */
const FORMAT = 1;
/**
 * Largest segment as sent and received (JSON-escaped UTF-8): a few go in one request,
 * well under Upstash's 10 MB request limit.
 */
export const SEGMENT_BYTES = 4 * 1024 * 1024;
/** Raw bytes per binary segment: base64 of it is `SEGMENT_BYTES`; a multiple of 12 (3 and 4). */
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
  | 'postings';

/**
 * `json`: one JSON string cut anywhere, joined to read. `binary`: base64 of bytes
 * (little-endian typed arrays, varints, compressed text).
 */
interface Section {
  name: SectionName;
  kind: 'json' | 'binary';
  segments: number;
  /** Decoded size of a binary section, checked on read. */
  bytes?: number;
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

/** A namespace encoded for storage: its manifest and its segments, in order. */
export interface EncodedSnapshot {
  manifest: SnapshotManifest;
  segments: string[];
}

/**
 * Encodes a loaded namespace's live chunks as a stored snapshot: records, vectors and
 * scales, BM25 postings already built (term list, slot-ordered postings, chunk lengths)
 * and chunk text with its metadata as text segments. Dead slots are left out and the
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
  const add = (name: SectionName, kind: Section['kind'], parts: string[], bytes?: number) => {
    sections.push({
      name,
      kind,
      segments: parts.length,
      ...(bytes === undefined ? {} : { bytes }),
    });
    segments.push(...parts);
  };

  add(
    'documents',
    'json',
    splitText(JSON.stringify(documents.map(({ record, count }) => [record, count]))),
  );

  const chunkText = packChunks(snapshot, oldSlots);
  add('textBlocks', 'binary', ...binary(chunkText.blocks));
  add('blockOffsets', 'binary', ...binary(chunkText.blockOffsets));
  add('locations', 'binary', ...binary(chunkText.locations));

  const vectors = new Int8Array(slots * dimensions);
  const scales = new Float32Array(slots);
  for (const [slot, old] of oldSlots.entries()) {
    vectors.set(snapshot.vectorRow(old), slot * dimensions);
    scales[slot] = snapshot.scale(old);
  }
  add('vectors', 'binary', ...binary(vectors));
  add('scales', 'binary', ...binary(scales));

  const lexicon = compactPostings(snapshot, oldSlots);
  add('terms', 'json', splitText(JSON.stringify(lexicon.terms)));
  add('lengths', 'binary', ...binary(lexicon.lengths));
  add('termCounts', 'binary', ...binary(lexicon.termCounts));
  add('postings', 'binary', ...binary(encodePostings(lexicon.postings, lexicon.termCounts)));

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

/**
 * Rebuilds a namespace from its manifest and segments (as read, in order). Throws
 * {@link SnapshotCorruptError} if they do not fit together, so the caller loads in full.
 */
export function decodeSnapshot(manifest: SnapshotManifest, segments: readonly string[]) {
  if (manifest.format !== FORMAT || segments.length !== manifest.segments) {
    throw new SnapshotCorruptError('format or segment count');
  }
  // Postings made by another analysis (an older tokenizer, say) would mix two sets of terms.
  if (manifest.lexicalAnalysis !== LEXICAL_ANALYSIS) {
    throw new SnapshotCorruptError('lexical analysis');
  }
  const read = new Map<SectionName, string[]>();
  let offset = 0;
  for (const section of manifest.sections) {
    read.set(section.name, segments.slice(offset, offset + section.segments) as string[]);
    offset += section.segments;
  }
  const sectionOf = (name: SectionName) => {
    const section = manifest.sections.find((candidate) => candidate.name === name);
    const parts = read.get(name);
    if (!section || !parts) throw new SnapshotCorruptError(`missing section ${name}`);
    return { section, parts };
  };
  const json = <T>(name: SectionName): T => JSON.parse(sectionOf(name).parts.join('')) as T;
  const decodeInto = (name: SectionName, target: Uint8Array): void => {
    const { section, parts } = sectionOf(name);
    if (section.bytes !== target.length) throw new SnapshotCorruptError(`size of ${name}`);
    const view = Buffer.from(target.buffer, target.byteOffset, target.length);
    let written = 0;
    for (const part of parts) written += view.write(part, written, 'base64');
    if (written !== target.length) throw new SnapshotCorruptError(`short section ${name}`);
  };
  const bytes = (name: SectionName): ArrayBuffer => {
    const target = new Uint8Array(sectionOf(name).section.bytes ?? 0);
    decodeInto(name, target);
    return target.buffer;
  };

  const { slots, dimensions } = manifest;
  const documents = json<[DocumentRecord, number][]>('documents').map(([record, count]) => ({
    record,
    count,
  }));
  const terms = json<string[]>('terms');
  const locations = new Uint32Array(bytes('locations'));
  const scales = new Float32Array(bytes('scales'));
  const lengths = new Uint32Array(bytes('lengths'));
  const termCounts = new Uint32Array(bytes('termCounts'));
  const postings = decodePostings(new Uint8Array(bytes('postings')), termCounts);
  const blocks = new Uint8Array(bytes('textBlocks'));
  const blockOffsets = new Uint32Array(bytes('blockOffsets'));

  let documentSlots = 0;
  for (const { count } of documents) documentSlots += count;
  if (
    documentSlots !== slots ||
    locations.length !== slots * LOCATION_STRIDE ||
    sectionOf('vectors').section.bytes !== slots * dimensions ||
    scales.length !== slots ||
    lengths.length !== slots ||
    termCounts.length !== terms.length ||
    blockOffsets.at(-1) !== blocks.length
  ) {
    throw new SnapshotCorruptError('section sizes');
  }
  const termPostings: Uint32Array[] = [];
  let start = 0;
  for (const count of termCounts) {
    termPostings.push(postings.subarray(start, start + count));
    start += count;
  }
  const restored: RestoredNamespace = {
    version: manifest.version,
    embedder: manifest.embedder,
    dimensions,
    documents,
    // Decoded by the caller straight into where the rows live: no 50 MB copy per 100k.
    writeVectors: (target) => decodeInto('vectors', target),
    scales,
    chunks: new PackedChunks(blocks, blockOffsets, locations),
    lexicon: Bm25Index.fromPostings(terms, termPostings, lengths),
  };
  return restored;
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

/**
 * Postings as varints, per term: the gap to the previous slot doubled, plus one when the
 * term frequency is above 1 (then one byte of it follows). Most gaps of common terms fit
 * one byte, so this is about 40% of the 32-bit entries.
 */
function encodePostings(postings: Uint32Array, termCounts: Uint32Array): Uint8Array {
  const bytes = new Uint8Array(postings.length * 5 + 16);
  let at = 0;
  let index = 0;
  for (const count of termCounts) {
    let previous = -1;
    for (let i = 0; i < count; i += 1) {
      const entry = postings[index++] as number;
      const slot = entry >>> 8;
      const tf = entry & 0xff;
      let value = (slot - previous) * 2 + (tf > 1 ? 1 : 0);
      previous = slot;
      while (value >= 0x80) {
        bytes[at++] = (value & 0x7f) | 0x80;
        value >>>= 7;
      }
      bytes[at++] = value;
      if (tf > 1) bytes[at++] = tf;
    }
  }
  return bytes.subarray(0, at);
}

function decodePostings(bytes: Uint8Array, termCounts: Uint32Array): Uint32Array {
  let total = 0;
  for (const count of termCounts) total += count;
  const postings = new Uint32Array(total);
  let at = 0;
  let index = 0;
  for (const count of termCounts) {
    let slot = -1;
    for (let i = 0; i < count; i += 1) {
      let value = 0;
      let shift = 0;
      let byte: number;
      do {
        byte = bytes[at++] as number;
        value |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte & 0x80);
      const tf = value & 1 ? (bytes[at++] as number) : 1;
      slot += value >>> 1;
      postings[index++] = ((slot << 8) | tf) >>> 0;
    }
  }
  if (at !== bytes.length) throw new SnapshotCorruptError('postings length');
  return postings;
}

/** Base64 segments of a typed array's bytes, and the byte count. */
function binary(array: ArrayBufferView): [string[], number] {
  const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += BINARY_SEGMENT_BYTES) {
    parts.push(bytes.subarray(start, start + BINARY_SEGMENT_BYTES).toString('base64'));
  }
  return [parts, bytes.length];
}

/** A string cut into pieces of at most about `SEGMENT_BYTES` once escaped, never inside a surrogate pair. */
function splitText(text: string): string[] {
  // Six bytes per UTF-16 unit is the worst case (`\u001f`), so this many units always fit.
  const units = Math.floor(SEGMENT_BYTES / 6);
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + units);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}
