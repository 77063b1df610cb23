import { describe, expect, it } from 'vitest';
import { adminKeySettings } from '../support/admin-key.ts';
import { callApi, issueKey } from '../support/api-client.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { captureLogs } from '../support/log-capture.ts';

// Its own file: the test stops this file's redis-server, which no later test could use.
const ADMIN_KEY = 'bootstrap-admin-key-for-redis-outage-tests-0001';
const logs = captureLogs();
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  ADMIN_TENANT: 'acme',
  LOG_LEVEL: 'INFO',
}));

describe('upstream outage', () => {
  it('answers 503 with Retry-After and a request id when Redis is down, and never leaks internals', async () => {
    const tenantAdmin = await issueKey(api, ADMIN_KEY, 'acme', ['admin']);
    await redis.stack.redis.stop();
    for (const key of [ADMIN_KEY, tenantAdmin]) {
      const response = await callApi(api, 'GET', '/v1/keys', key);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.json.error).toMatchObject({
        code: 'redis_unavailable',
        requestId: expect.any(String),
      });
      expect(JSON.stringify(response.json)).not.toMatch(/ECONN|fetch failed|at .*\.ts/);
    }
    const chat = await callApi(api, 'POST', '/v1/chat', ADMIN_KEY, { userId: 'u', message: 'hi' });
    expect(chat.status).toBe(503);
    expect(chat.json.error.code).toBe('redis_unavailable');
    for (const secret of [ADMIN_KEY, redis.stack.token, tenantAdmin]) {
      expect(logs.text().includes(secret), 'a secret reached the logs').toBe(false);
    }
  });
});
