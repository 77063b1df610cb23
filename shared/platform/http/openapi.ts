import * as z from 'zod';
import { errorBodySchema } from './common-schemas.ts';
import type { RouteSpec } from './route.ts';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
};

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Invalid request: `error.issues` names each bad field',
  '401': 'Missing, unknown or revoked API key (`unauthorized`), or an expired one (`key_expired`)',
  '403': 'The API key lacks the required scope',
  '413': 'Request body too large',
  '415': 'Body is not application/json',
  '429': 'Rate limited; see `Retry-After`',
  '500': 'Internal error; the body carries only the request id',
  '503': 'A dependency (Redis, model) is unavailable; see `Retry-After`',
};

/**
 * Builds the OpenAPI 3.1 document from the routes' own zod schemas, so the description
 * cannot drift from what the middleware validates.
 */
export function buildOpenApiDocument(routes: readonly RouteSpec[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      tags: route.tags,
      parameters: [
        ...parameters(route.params, 'path'),
        ...parameters(route.query, 'query'),
        ...parameters(route.headers, 'header'),
      ],
      responses: responses(route),
    };
    if (route.access !== 'public') {
      operation.security = [{ apiKey: [] }];
      operation['x-required-scope'] = route.access;
    } else {
      operation.security = [];
    }
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: toSchema(route.body, 'input') } },
      };
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Agent platform API',
      version,
      description:
        'Chat with memory and a knowledge base, document ingestion and administration. Every `/v1` route needs `Authorization: Bearer <API key>`.',
    },
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'Platform API key' },
      },
      schemas: { Error: toSchema(errorBodySchema, 'output') },
    },
  };
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query' | 'header') {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: property,
  }));
}

function responses(route: RouteSpec) {
  const result: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const content: Record<string, unknown> = {};
    if (response.schema) {
      content['application/json'] = { schema: toSchema(response.schema, 'output') };
    }
    if (response.events) {
      const events = Object.entries(response.events);
      content['text/event-stream'] = {
        schema: {
          type: 'string',
          description: `Server-sent events, \`event:\` one of ${events.map(([name]) => `\`${name}\``).join(', ')}, \`data:\` one line of JSON.`,
        },
        'x-events': Object.fromEntries(
          events.map(([name, schema]) => [name, toSchema(schema, 'output')]),
        ),
      };
    }
    result[status] =
      Object.keys(content).length > 0
        ? { description: response.description, content }
        : { description: response.description };
  }
  const errorStatuses =
    route.access === 'public' ? ['400', '500', '503'] : Object.keys(ERROR_RESPONSES);
  for (const status of errorStatuses) {
    if (status === '413' || status === '415') {
      if (!route.body) continue;
    }
    result[status] ??= {
      description: ERROR_RESPONSES[status],
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return result;
}
