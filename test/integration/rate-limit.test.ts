import { describe, expect, it } from 'vitest';
import { parseConfig } from '#shared/platform/config/index.ts';
import { createRateLimiters } from '#shared/platform/rate-limit/rate-limiter.ts';
import { createRedisClient } from '#shared/platform/redis/index.ts';
import { adminKeySettings } from '../support/admin-key.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-rate-limit-tests-00001';
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  RATE_LIMIT_PER_MINUTE: '3',
  LOG_LEVEL: 'SILENT',
}));

describe('rate limiting per API key', () => {
  it('answers 429 with Retry-After and RateLimit headers past the budget, per key', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await api.request('/v1/keys', {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    if (!limited) throw new Error('expected a limited response');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-limit')).toBe('3');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');

    const keys = await redis.allKeys();
    expect(keys.some((key) => key.startsWith('agent:default:ratelimit:key:bootstrap'))).toBe(true);
  });

  it('keeps a separate budget per Slack user within a tenant', async () => {
    const limits = parseConfig({ SLACK_RATE_LIMIT_PER_MINUTE: '2' }).limits;
    const limiters = createRateLimiters(createRedisClient(redis.stack), limits);

    const alice = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      alice.push((await limiters.forSlackUser('acme', 'U0ALICE')).allowed);
    }
    const bob = await limiters.forSlackUser('acme', 'U0BOB');
    const aliceElsewhere = await limiters.forSlackUser('globex', 'U0ALICE');

    expect(alice).toEqual([true, true, false]);
    expect(bob.allowed).toBe(true);
    expect(aliceElsewhere.allowed).toBe(true);
    expect(await redis.allKeys()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^agent:acme:ratelimit:slack:U0ALICE:/)]),
    );
  });

  it('does not limit the public health route', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await api.request('/health')).status).toBe(200);
    }
  });
});
