export { chunkDocument, resolveStrategy } from './chunking/chunk-document.ts';
export {
  CHUNKING_STRATEGIES,
  type Chunk,
  type ChunkingOptions,
  type ChunkingStrategy,
  DEFAULT_CHUNKING,
} from './chunking/types.ts';
export {
  type ChunkedDocument,
  DocumentExtractor,
  type DocumentExtractorOptions,
  EXTRACTION_WORKER_URL,
  type ExtractorStats,
} from './document-extractor.ts';
export {
  type DocumentError,
  DocumentRejectedError,
  type DocumentRejectionReason,
  DocumentTooLargeError,
  isDocumentError,
  UnsupportedMediaTypeError,
} from './errors.ts';
export {
  createIngestRequestSchema,
  DOCUMENT_BYTES_CEILING,
  type IngestRequest,
  ingestRequestSchema,
  toUploadedDocument,
} from './ingest-request.ts';
export { type DocumentLimits, documentLimits, PARSER_GUARD_DEFAULTS } from './limits.ts';
export { MEDIA_TYPES } from './media-types.ts';
export type {
  DocumentType,
  ExtractedDocument,
  PageSpan,
  SectionSpan,
  UploadedDocument,
} from './types.ts';
