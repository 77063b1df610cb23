import * as z from 'zod';
import { noQuery } from '../../platform/http/common-schemas.ts';
import { defineRoute } from '../../platform/http/route.ts';

/** Document ids as they appear in a URL path: no slashes. */
const documentIdParam = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,255}$/, 'must be a document id'),
  })
  .strict();

export const documentRecordSchema = z.object({
  id: z.string(),
  title: z.string(),
  source: z.string(),
  contentHash: z.string(),
  fileSha256: z
    .string()
    .optional()
    .describe(
      'SHA-256 (hex) of the file as uploaded (the decoded `contentBase64`, or `text` in UTF-8), so a client can skip sending an unchanged file; absent for documents indexed before it was recorded',
    ),
  metadata: z.record(z.string(), z.string()),
  chunkCount: z.number().int(),
  embedder: z.string(),
  dimensions: z.number().int(),
  indexedAt: z.string(),
});

export const listDocumentsRoute = defineRoute({
  operationId: 'listDocuments',
  method: 'GET',
  path: '/v1/documents',
  summary: "List the knowledge base's documents, by id, a page at a time",
  tags: ['knowledge base'],
  access: 'documents:read',
  query: z
    .object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(300).optional().describe('`nextCursor` of the previous page'),
      source: z.string().min(1).max(500).optional().describe('Only documents with this source'),
    })
    .strict(),
  responses: {
    200: {
      description: 'A page of documents',
      schema: z.object({
        documents: z.array(documentRecordSchema),
        nextCursor: z.string().nullable(),
      }),
    },
  },
});

export const getDocumentRoute = defineRoute({
  operationId: 'getDocument',
  method: 'GET',
  path: '/v1/documents/{id}',
  summary: 'One document',
  tags: ['knowledge base'],
  access: 'documents:read',
  params: documentIdParam,
  query: noQuery,
  responses: {
    200: { description: 'The document', schema: documentRecordSchema },
    404: { description: 'No such document in this tenant' },
  },
});

export const deleteDocumentRoute = defineRoute({
  operationId: 'deleteDocument',
  method: 'DELETE',
  path: '/v1/documents/{id}',
  summary: 'Delete a document; no search returns it once this answers',
  tags: ['knowledge base'],
  access: 'documents:write',
  params: documentIdParam,
  query: noQuery,
  responses: {
    204: { description: 'Deleted' },
    404: { description: 'No such document in this tenant' },
  },
});

export const clearDocumentsRoute = defineRoute({
  operationId: 'clearDocuments',
  method: 'DELETE',
  path: '/v1/documents',
  summary: "Delete every document of the tenant's knowledge base",
  tags: ['knowledge base'],
  access: 'admin',
  query: z
    .object({
      confirm: z.string().describe("Must equal the tenant's name, to prevent accidents"),
    })
    .strict(),
  responses: {
    200: {
      description: 'How many documents were deleted',
      schema: z.object({ deleted: z.number().int() }),
    },
  },
});
