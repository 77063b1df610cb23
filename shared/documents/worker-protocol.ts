import type { SerializedDocumentError } from './errors.ts';
import type { DocumentLimits } from './limits.ts';
import type { DocumentInput, ExtractedDocument } from './types.ts';

/** Main thread -> extraction worker. */
export interface ExtractionRequest {
  id: number;
  input: DocumentInput;
  limits: DocumentLimits;
}

/** Extraction worker -> main thread. */
export type ExtractionReply =
  | { id: number; ok: true; document: ExtractedDocument }
  | { id: number; ok: false; error: SerializedDocumentError };
