import type { Config } from './config/index.ts';
import { NotConfiguredError } from './errors/index.ts';
import { createRateLimiters, type RateLimiters } from './rate-limit/rate-limiter.ts';
import { createRedisClient, type Redis } from './redis/index.ts';

/** Clients built from the configuration, created once per container and reused. */
export interface Services {
  config: Config;
  redis: Redis;
  rateLimiters: RateLimiters;
}

let cached: Services | undefined;

export function getServices(config: Config): Services {
  if (cached?.config === config) return cached;
  if (!config.redis) {
    throw new NotConfiguredError(['UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN']);
  }
  const redis = createRedisClient(config.redis);
  cached = { config, redis, rateLimiters: createRateLimiters(redis, config.limits) };
  return cached;
}
