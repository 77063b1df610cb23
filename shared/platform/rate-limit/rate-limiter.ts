import { Ratelimit } from '@upstash/ratelimit';
import type { Config } from '../config/index.ts';
import type { Redis } from '../redis/index.ts';
import { KEY_PREFIX, tenantKeys } from '../tenancy/index.ts';

/** The outcome of one check, as data; `headers` are the IETF `RateLimit-*` fields. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  retryAfterSeconds: number;
  headers: Record<string, string>;
}

export interface RateLimiters {
  /** One budget per API key, within its tenant. */
  forApiKey(tenant: string, keyId: string): Promise<RateLimitDecision>;
  /** One budget per Slack user, within its tenant (used by the Slack path). */
  forSlackUser(tenant: string, slackUserId: string): Promise<RateLimitDecision>;
}

/**
 * Sliding-window limits on @upstash/ratelimit. Keys land under `agent:{tenant}:ratelimit:`.
 * If Redis does not answer within the timeout the library lets the request through; the
 * request then fails on its own Redis calls, so an outage still surfaces as 503.
 */
export function createRateLimiters(redis: Redis, limits: Config['limits']): RateLimiters {
  const perKey = new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(limits.requestsPerMinute, '60 s'),
    prefix: KEY_PREFIX,
    timeout: 1_000,
    analytics: false,
  });
  const perSlackUser = new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(limits.slackRequestsPerMinute, '60 s'),
    prefix: KEY_PREFIX,
    timeout: 1_000,
    analytics: false,
  });
  return {
    forApiKey: (tenant, keyId) =>
      decide(perKey, tenantKeys(tenant).rateLimitIdentifier('key', keyId)),
    forSlackUser: (tenant, userId) =>
      decide(perSlackUser, tenantKeys(tenant).rateLimitIdentifier('slack', userId)),
  };
}

async function decide(limiter: Ratelimit, identifier: string): Promise<RateLimitDecision> {
  const result = await limiter.limit(identifier);
  const resetSeconds = Math.max(0, Math.ceil((result.reset - Date.now()) / 1000));
  return {
    allowed: result.success,
    limit: result.limit,
    remaining: Math.max(0, result.remaining),
    retryAfterSeconds: Math.max(1, resetSeconds),
    headers: {
      'ratelimit-limit': String(result.limit),
      'ratelimit-remaining': String(Math.max(0, result.remaining)),
      'ratelimit-reset': String(resetSeconds),
    },
  };
}
