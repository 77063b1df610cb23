import { searchKnowledge } from '#shared/knowledge/index/index.ts';
import { searchRoute } from '#shared/knowledge/routes/search.ts';
import { httpHandler } from '#shared/platform/http/http-handler.ts';
import { implement } from '#shared/platform/http/route.ts';

/** POST /v1/search (scope `documents:read`): ranked chunks the chat would cite. */
export const handler = httpHandler([
  implement(searchRoute, async ({ services, principal, body, deadline }) => ({
    status: 200,
    body: await searchKnowledge(services, principal.tenant, body, { deadline }),
  })),
]);
