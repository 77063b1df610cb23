import { checkHealth } from '#shared/health/check-health.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { jsonResponse } from '#shared/http/responses.ts';
import { getServices } from '#shared/services.ts';
import { platformVersion } from '#shared/version.ts';

/** GET /health: open to all; reports the version and whether Redis answers. */
export const handler = httpHandler(async (_event, context) => {
  const { config, redis } = getServices(context.config);
  const report = await checkHealth({
    redis,
    version: platformVersion,
    stage: config.stage,
    modelMode: config.openai.apiKey ? 'openai' : 'offline',
  });
  return jsonResponse(report.status === 'ok' ? 200 : 503, report, { 'cache-control': 'no-store' });
});
