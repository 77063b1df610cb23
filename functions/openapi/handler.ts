import { allRoutes } from '#shared/app/all-routes.ts';
import { apiHandler } from '#shared/app/http-handler.ts';
import { openApiRoute } from '#shared/health/routes.ts';
import { buildOpenApiDocument } from '#shared/platform/http/openapi.ts';
import { implement } from '#shared/platform/http/route.ts';
import { platformVersion } from '#shared/platform/version.ts';

const document = buildOpenApiDocument(allRoutes, platformVersion);

/** GET /openapi.json: the API description generated from the routes' zod schemas. */
export const handler = apiHandler([
  implement(openApiRoute, async () => ({
    status: 200,
    body: document,
    headers: { 'cache-control': 'public, max-age=300' },
  })),
]);
