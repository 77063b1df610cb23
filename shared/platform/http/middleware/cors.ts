import httpCors from '@middy/http-cors';
import type { PlatformMiddleware } from '../context.ts';

/**
 * middy's CORS middleware with origins from the configuration, which is only known once
 * the settings are loaded; with no origins configured no CORS header is ever sent.
 */
export function corsFromConfig(): PlatformMiddleware {
  let cors: ReturnType<typeof httpCors> | undefined;
  let origins: string[] = [];
  const corsFromConfigAfter: PlatformMiddleware['after'] = async (request) => {
    const allowed = request.context.config?.cors.allowedOrigins ?? [];
    if (allowed.length === 0) return;
    if (!cors || allowed !== origins) {
      origins = allowed;
      cors = httpCors({
        origins: allowed,
        headers: 'authorization,content-type',
        methods: 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
        exposeHeaders: 'ratelimit-limit,ratelimit-remaining,ratelimit-reset,retry-after',
        maxAge: 600,
      });
    }
    await cors.after?.(request as never);
  };
  return { after: corsFromConfigAfter, onError: corsFromConfigAfter };
}
