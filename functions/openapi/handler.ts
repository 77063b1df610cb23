import { apiHandler } from '#shared/app/handlers.ts';
import { openApiRoute } from '#shared/health/routes.ts';
import { buildOpenApiDocument } from '#shared/platform/http/openapi.ts';
import { implement } from '#shared/platform/http/route.ts';
import { platformVersion } from '#shared/platform/version.ts';

/**
 * Built by the first request, not at import: building every route's zod schemas and
 * converting them to JSON Schema belongs to the request that needs it rather than to
 * every cold start's init.
 */
let document: ReturnType<typeof buildOpenApiDocument> | undefined;

/** GET /openapi.json: the API description generated from the routes' zod schemas. */
export const handler = apiHandler([
  implement(openApiRoute, async () => {
    if (!document) {
      const { allRoutes } = await import('#shared/app/all-routes.ts');
      document = buildOpenApiDocument(allRoutes, platformVersion);
    }
    return { status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
  }),
]);
