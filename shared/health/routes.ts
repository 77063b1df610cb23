import * as z from 'zod';
import { noQuery } from '../platform/http/common-schemas.ts';
import { defineRoute } from '../platform/http/route.ts';

const healthReportSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  stage: z.string(),
  redis: z.object({ status: z.enum(['up', 'down']), latencyMs: z.number() }),
});

export const healthRoute = defineRoute({
  operationId: 'getHealth',
  method: 'GET',
  path: '/health',
  summary: 'Liveness and dependency check',
  tags: ['operations'],
  access: 'public',
  query: noQuery,
  responses: {
    200: { description: 'The platform can serve requests', schema: healthReportSchema },
    503: { description: 'Redis does not answer', schema: healthReportSchema },
  },
});

export const openApiRoute = defineRoute({
  operationId: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  summary: 'This API description (OpenAPI 3.1)',
  tags: ['operations'],
  access: 'public',
  query: noQuery,
  responses: { 200: { description: 'OpenAPI document' } },
});
