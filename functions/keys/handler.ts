import { apiHandler } from '#shared/app/handlers.ts';
import { createKeyFor, listApiKeys, revokeApiKey, targetTenant } from '#shared/auth/index.ts';
import { createKeyRoute, listKeysRoute, revokeKeyRoute } from '#shared/auth/routes.ts';
import { implement } from '#shared/platform/http/route.ts';

/** `/v1/keys`: create, list and revoke API keys (scope `admin`). */
export const handler = apiHandler([
  implement(createKeyRoute, async ({ services, principal, body }) => ({
    status: 201,
    body: await createKeyFor(services.redis, principal, body, services.config.quotas.maxApiKeys),
  })),
  implement(listKeysRoute, async ({ services, principal, query }) => ({
    status: 200,
    body: { keys: await listApiKeys(services.redis, targetTenant(principal, query.tenant)) },
  })),
  implement(revokeKeyRoute, async ({ services, principal, params, query }) => {
    await revokeApiKey(services.redis, targetTenant(principal, query.tenant), params.id);
    return { status: 204 };
  }),
]);
