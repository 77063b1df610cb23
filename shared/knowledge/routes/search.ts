import { noQuery } from '../../platform/http/common-schemas.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { searchRequestSchema, searchResponseSchema } from '../index/search-schema.ts';

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
