import type { LoadedDocument } from './namespace-snapshot.ts';
import type { DocumentRecord, StoredChunk } from './types.ts';
import { decodeQuantized, encodeQuantized, type QuantizedVectors } from './vector-codec.ts';

/**
 * Largest stored part, in bytes. A document that fits in one part is written in one
 * request; a larger one is staged part by part and read back a few parts per request,
 * so no request or reply comes near Upstash's size limit (10 MB; 1 MB is the guideline).
 */
export const PART_MAX_BYTES = 512 * 1024;

interface StoredPart {
  chunks: StoredChunk[];
  /** base64 of int8 values, `chunks.length * dimensions` of them. */
  values: string;
  /** base64 of one little-endian float32 scale per chunk. */
  scales: string;
}

/** Splits a document's chunks and vectors into JSON parts of at most ~`maxBytes` each. */
export function encodeParts(
  chunks: readonly StoredChunk[],
  vectors: QuantizedVectors,
  dimensions: number,
  maxBytes = PART_MAX_BYTES,
): string[] {
  const vectorBytes = Math.ceil(((dimensions + 4) * 4) / 3);
  const parts: string[] = [];
  let start = 0;
  while (start < chunks.length) {
    let end = start;
    let bytes = 64;
    while (end < chunks.length) {
      const size = Buffer.byteLength(JSON.stringify(chunks[end])) + vectorBytes + 1;
      if (end > start && bytes + size > maxBytes) break;
      bytes += size;
      end += 1;
    }
    const slice: QuantizedVectors = {
      values: vectors.values.subarray(start * dimensions, end * dimensions),
      scales: vectors.scales.subarray(start, end),
    };
    const part: StoredPart = { chunks: chunks.slice(start, end), ...encodeQuantized(slice) };
    parts.push(JSON.stringify(part));
    start = end;
  }
  return parts;
}

/**
 * A stored document's `layout` field: which write made it and how many parts it has.
 * Parts read in several requests belong together only if the layout read with each
 * request is the same.
 */
export function formatLayout(writeId: string, parts: number): string {
  return `${writeId}:${parts}`;
}

export function partCount(layout: string): number {
  return Number(layout.slice(layout.lastIndexOf(':') + 1));
}

/** Rebuilds a document from its record and all its parts, in order. */
export function decodeDocument(recordJson: string, parts: readonly string[]): LoadedDocument {
  const record = JSON.parse(recordJson) as DocumentRecord;
  const { dimensions } = record;
  const chunks: StoredChunk[] = [];
  const values = new Int8Array(record.chunkCount * dimensions);
  const scales = new Float32Array(record.chunkCount);
  for (const json of parts) {
    const part = JSON.parse(json) as StoredPart;
    const vectors = decodeQuantized(part);
    values.set(vectors.values, chunks.length * dimensions);
    scales.set(vectors.scales, chunks.length);
    chunks.push(...part.chunks);
  }
  return { record, chunks, vectors: { values, scales } };
}
