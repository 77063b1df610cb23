import { streamingApiHandler } from '#shared/app/handlers.ts';
import { chatRequestSchema } from '#shared/chat/routes/chat.ts';
import { noQuery } from '#shared/platform/http/common-schemas.ts';
import { defineRoute, implement } from '#shared/platform/http/route.ts';

/**
 * The chat function's stack (API key, rate limit, the chat body's validation) in front
 * of a route that does nothing else: what a turn costs before it starts.
 */
export const middlewareOnlyRoute = defineRoute({
  operationId: 'benchMiddlewareOnly',
  method: 'POST',
  path: '/v1/bench/middleware-only',
  summary: 'Answers once the middleware is done',
  tags: ['bench'],
  access: 'chat',
  query: noQuery,
  body: chatRequestSchema,
  responses: { 200: { description: 'ok' } },
});

export const handler = streamingApiHandler([
  implement(middlewareOnlyRoute, async () => ({ status: 200, body: { ok: true } })),
]);
