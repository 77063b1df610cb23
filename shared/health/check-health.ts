import type { Redis } from '../platform/redis/client.ts';

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  stage: string;
  redis: { status: 'up' | 'down'; latencyMs: number };
}

export interface HealthDependencies {
  redis: Redis;
  version: string;
  stage: string;
  /** How long to wait for Redis before calling it down. */
  timeoutMs?: number;
}

/** Pings Redis once and reports whether the platform can serve requests. */
export async function checkHealth(deps: HealthDependencies): Promise<HealthReport> {
  const started = performance.now();
  const redisUp = await pingWithin(deps.redis, deps.timeoutMs ?? 2_000);
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  return {
    status: redisUp ? 'ok' : 'degraded',
    version: deps.version,
    stage: deps.stage,
    redis: { status: redisUp ? 'up' : 'down', latencyMs },
  };
}

async function pingWithin(redis: Redis, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = redis.ping().then(
    (reply) => reply === 'PONG',
    () => false,
  );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
