export {
  type IngestDocumentRequest,
  type IngestDocumentResult,
  type IngestionDependencies,
  type IngestStatus,
  ingestDocument,
} from './ingest-document.ts';
export { type IngestResponse, ingestResponseSchema, toIngestResponse } from './ingest-response.ts';
