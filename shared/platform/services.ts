import type { Config } from './config/index.ts';
import { NotConfiguredError } from './errors/index.ts';
import { getQueueSender, type QueueSender } from './queues/queue-sender.ts';
import { createRateLimiters, type RateLimiters } from './rate-limit/rate-limiter.ts';
import { createRedisClient, type Redis } from './redis/index.ts';

/** Clients built from the configuration, created once per container and reused. */
export interface Services {
  config: Config;
  redis: Redis;
  rateLimiters: RateLimiters;
  /** The catalog's queues this function may send to (its `sendsTo`). */
  queues: QueueSender;
}

/** Resolved on each send, so a local runtime that registers its queues later is seen. */
const queues: QueueSender = { send: (queue, message) => getQueueSender().send(queue, message) };

let cached: Services | undefined;

/**
 * The container's services for this configuration. Without Redis settings (a fresh deploy
 * before the secret is filled) routes that touch Redis answer 503 `not_configured`, and
 * the others, such as `/openapi.json`, still work.
 */
export function getServices(config: Config): Services {
  if (cached?.config === config) return cached;
  if (config.redis) {
    const redis = createRedisClient(config.redis);
    cached = { config, redis, rateLimiters: createRateLimiters(redis, config.limits), queues };
  } else {
    const missing = (): never => {
      throw new NotConfiguredError(['UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN']);
    };
    cached = {
      config,
      get redis() {
        return missing();
      },
      get rateLimiters() {
        return missing();
      },
      queues,
    };
  }
  return cached;
}
