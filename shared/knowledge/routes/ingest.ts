import { noQuery } from '../../platform/http/common-schemas.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { ingestRequestSchema } from '../documents/ingest-request.ts';
import { ingestResponseSchema } from '../ingestion/ingest-response.ts';

export const ingestDocumentRoute = defineRoute({
  operationId: 'ingestDocument',
  method: 'POST',
  path: '/v1/documents',
  summary: 'Add or replace a document in the knowledge base (PDF, DOCX, HTML, Markdown, text)',
  tags: ['knowledge base'],
  access: 'documents:write',
  query: noQuery,
  body: ingestRequestSchema,
  // The whole JSON body, so a base64 file can be up to about 3/4 of it.
  maxBodyBytes: (limits) => limits.documentMaxBytes,
  responses: {
    201: { description: 'A new document', schema: ingestResponseSchema },
    200: {
      description: 'Same source with new content (`replaced`) or same content (`unchanged`)',
      schema: ingestResponseSchema,
    },
    409: {
      description:
        '`quota_exceeded`: the tenant is at TENANT_MAX_DOCUMENTS or TENANT_MAX_CHUNKS; nothing written',
    },
    413: { description: 'Body, file or `metadata` (`metadata_too_large`) over the limits' },
    415: { description: 'A format the platform does not ingest' },
    422: { description: 'A file that is corrupt, encrypted, empty, hostile or over a cap' },
  },
});
