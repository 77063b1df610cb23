import type { Chunk, ChunkingOptions } from './chunking/types.ts';
import type { SerializedDocumentError } from './errors.ts';
import type { DocumentLimits } from './limits.ts';
import type { ExtractedDocument, UploadedDocument } from './types.ts';

/**
 * Main thread -> extraction worker: extract a document (and cut it into chunks under
 * `limits.maxChunks` when `chunking` is given), or load every parser ahead of time.
 */
export type ExtractionRequest =
  | {
      id: number;
      kind: 'extract';
      input: UploadedDocument;
      limits: DocumentLimits;
      chunking?: ChunkingOptions | undefined;
    }
  | { id: number; kind: 'warm-up' };

/** What the worker made of one document; `chunks` only when the request asked for them. */
export interface ExtractionResult {
  document: ExtractedDocument;
  chunks?: Chunk[] | undefined;
}

/** Extraction worker -> main thread; a warm-up is answered with `result: null`. */
export type ExtractionReply =
  | { id: number; ok: true; result: ExtractionResult | null }
  | { id: number; ok: false; error: SerializedDocumentError };
