import { allRoutes } from '#shared/api/all-routes.ts';
import { openApiRoute } from '#shared/api/health-routes.ts';
import { buildOpenApiDocument } from '#shared/api/openapi.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { implement } from '#shared/http/route.ts';
import { platformVersion } from '#shared/version.ts';

const document = buildOpenApiDocument(allRoutes, platformVersion);

/** GET /openapi.json: the API description generated from the routes' zod schemas. */
export const handler = httpHandler([
  implement(openApiRoute, async () => ({
    status: 200,
    body: document,
    headers: { 'cache-control': 'public, max-age=300' },
  })),
]);
