import { apiHandler } from '#shared/app/handlers.ts';
import { checkHealth } from '#shared/health/check-health.ts';
import { healthRoute } from '#shared/health/routes.ts';
import { implement } from '#shared/platform/http/route.ts';
import { platformVersion } from '#shared/platform/version.ts';

/**
 * GET /health: open to all; reports the version and whether Redis answers. It reports no
 * model mode: that would need the model key, which this function may not read.
 */
export const handler = apiHandler([
  implement(healthRoute, async ({ services }) => {
    const report = await checkHealth({
      redis: services.redis,
      version: platformVersion,
      stage: services.config.stage,
    });
    return {
      status: report.status === 'ok' ? 200 : 503,
      body: report,
    };
  }),
]);
