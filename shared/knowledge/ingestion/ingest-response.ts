import * as z from 'zod';
import type { IngestDocumentResult } from './ingest-document.ts';

/** The body `POST /v1/documents` answers with. */
export const ingestResponseSchema = z.object({
  id: z.string(),
  status: z
    .enum(['created', 'replaced', 'unchanged'])
    .describe('`unchanged`: same content as stored, nothing embedded or written'),
  type: z.enum(['pdf', 'docx', 'html', 'markdown', 'text']).describe('Sniffed from the bytes'),
  mediaType: z.string(),
  title: z.string(),
  source: z.string(),
  pageCount: z.int().describe('PDF pages; 0 for formats without pages'),
  chunkCount: z.int(),
  contentHash: z.string(),
  indexedAt: z.string(),
});

export type IngestResponse = z.output<typeof ingestResponseSchema>;

/** The response body and status: 201 for a new document, 200 otherwise. */
export function toIngestResponse(result: IngestDocumentResult): {
  status: 200 | 201;
  body: IngestResponse;
} {
  const { record } = result;
  return {
    status: result.status === 'created' ? 201 : 200,
    body: {
      id: result.documentId,
      status: result.status,
      type: result.type,
      mediaType: result.mediaType,
      title: record.title,
      source: record.source,
      pageCount: result.pageCount,
      chunkCount: result.chunkCount,
      contentHash: record.contentHash,
      indexedAt: record.indexedAt,
    },
  };
}
