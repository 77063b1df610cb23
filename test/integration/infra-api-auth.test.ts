import { describe, expect, it } from 'vitest';
import { functionCatalog } from '#functions/catalog.ts';
import { routesOf } from '#functions/function-definition.ts';
import { generateApiKey } from '#shared/auth/api-key-format.ts';
import { publicRoutes } from '../../infra/nag-suppressions.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

/**
 * The stack deploys every method without an API Gateway authorizer (the cdk-nag
 * acknowledgements say why): authentication is the functions' job. This holds them to
 * it, for every `/v1` route in the catalog, through the real handlers.
 */
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  UPSTASH_REDIS_REST_URL: redis.stack.url,
  UPSTASH_REDIS_REST_TOKEN: redis.stack.token,
}));

const routes = functionCatalog.flatMap((definition) =>
  routesOf(definition).map((route) => ({ ...route, name: definition.name })),
);
const v1Routes = routes.filter((route) => route.path.startsWith('/v1/'));

function request(route: { method: string; path: string }, headers: Record<string, string> = {}) {
  const path = route.path.replace(/\{[^}]+\}/g, 'probe');
  const hasBody = !['GET', 'DELETE'].includes(route.method);
  return api.request(path, {
    method: route.method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(hasBody ? { body: '{}' } : {}),
  });
}

describe('routes without an authorizer', () => {
  it('include /v1 routes to check', () => {
    expect(v1Routes.length).toBeGreaterThan(0);
  });

  it.each(v1Routes)('$method $path ($name) answers 401 without an API key', async (route) => {
    const response = await request(route);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { code: 'unauthorized', requestId: expect.any(String) },
    });
    expect(await redis.allKeys()).toEqual([]);
  });

  it.each(v1Routes)(
    '$method $path ($name) answers 401 to a well-formed unknown key',
    async (route) => {
      const response = await request(route, {
        authorization: `Bearer ${generateApiKey('default').key}`,
      });
      expect(response.status).toBe(401);
    },
  );

  it.each(routes.filter((route) => publicRoutes.has(route.path)))(
    '$method $path, acknowledged as public, answers without a key',
    async (route) => {
      const response = await request(route);
      expect(response.status).toBe(200);
    },
  );
});
