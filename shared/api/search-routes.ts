import { defineRoute } from '../http/route.ts';
import { searchRequestSchema, searchResponseSchema } from '../knowledge-index/search-schema.ts';
import { noQuery } from './common-schemas.ts';

export const searchRoute = defineRoute({
  operationId: 'searchKnowledgeBase',
  method: 'POST',
  path: '/v1/search',
  summary: "Search the tenant's knowledge base (hybrid, vector or lexical)",
  tags: ['knowledge base'],
  access: 'documents:read',
  query: noQuery,
  body: searchRequestSchema,
  maxBodyBytes: 16 * 1024,
  responses: {
    200: { description: 'Ranked chunks with citations', schema: searchResponseSchema },
    507: {
      description:
        '`index_too_large`: the knowledge base holds more chunks than this function can keep in memory',
    },
  },
});
