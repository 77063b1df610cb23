import { keyIdOf, type Principal, tenantOf } from '../../principal/index.ts';
import { RateLimitedError } from '../../rate-limit/errors.ts';
import type { RateLimiters } from '../../rate-limit/rate-limiter.ts';
import type { PlatformMiddleware } from '../context.ts';

/** Counts the request against its caller's budget; 429 with `Retry-After` past it. */
export function rateLimit(): PlatformMiddleware {
  const rateLimitBefore: PlatformMiddleware['before'] = async (request) => {
    const { route, principal, services } = request.context;
    if (!principal || route.spec.rateLimited === false) return;
    const decision = await budgetOf(principal, services.rateLimiters);
    request.context.rateLimitHeaders = decision.headers;
    if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds, decision.headers);
  };
  const rateLimitAfter: PlatformMiddleware['after'] = (request) => {
    const headers = request.context.rateLimitHeaders;
    if (!headers || !request.response) return;
    request.response.headers = { ...request.response.headers, ...headers };
  };
  // Also on errors: a 404 or 400 counted against the budget says so too.
  return { before: rateLimitBefore, after: rateLimitAfter, onError: rateLimitAfter };
}

/** API keys (the operator's included) share a per-key budget; a Slack user has its own. */
function budgetOf(principal: Principal, limiters: RateLimiters) {
  if (principal.kind === 'slack')
    return limiters.forSlackUser(tenantOf(principal), principal.userId);
  return limiters.forApiKey(tenantOf(principal), keyIdOf(principal) ?? principal.kind);
}
