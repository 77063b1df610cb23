import type { SerializedDocumentError } from './errors.ts';
import type { DocumentLimits } from './limits.ts';
import type { DocumentInput, ExtractedDocument } from './types.ts';

/** Main thread -> extraction worker: extract a document, or load every parser ahead of time. */
export type ExtractionRequest =
  | { id: number; kind: 'extract'; input: DocumentInput; limits: DocumentLimits }
  | { id: number; kind: 'warm-up' };

/** Extraction worker -> main thread; a warm-up is answered with `document: null`. */
export type ExtractionReply =
  | { id: number; ok: true; document: ExtractedDocument | null }
  | { id: number; ok: false; error: SerializedDocumentError };
