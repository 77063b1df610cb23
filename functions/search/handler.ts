import { apiHandler } from '#shared/app/handlers.ts';
import { searchKnowledge } from '#shared/knowledge/index/index.ts';
import { searchRoute } from '#shared/knowledge/routes/search.ts';
import { implement } from '#shared/platform/http/route.ts';
import { tenantOf } from '#shared/platform/principal/index.ts';

/** POST /v1/search (scope `documents:read`): ranked chunks the chat would cite. */
export const handler = apiHandler([
  implement(searchRoute, async ({ services, principal, body, deadline }) => ({
    status: 200,
    body: await searchKnowledge(services, tenantOf(principal), body, { deadline }),
  })),
]);
