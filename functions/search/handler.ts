import { searchRoute } from '#shared/api/search-routes.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { implement } from '#shared/http/route.ts';
import { searchKnowledge } from '#shared/knowledge-index/index.ts';

/** POST /v1/search (scope `documents:read`): ranked chunks the chat would cite. */
export const handler = httpHandler([
  implement(searchRoute, async ({ services, principal, body, deadline }) => ({
    status: 200,
    body: await searchKnowledge(services, principal.tenant, body, { deadline }),
  })),
]);
