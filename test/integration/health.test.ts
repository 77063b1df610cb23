import { describe, expect, it } from 'vitest';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
}));

describe('GET /health through the local API server', () => {
  it('reports the version and that Redis is up', async () => {
    const response = await api.request('/health');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'ok',
      version: expect.any(String),
      redis: { status: 'up' },
    });
    // Health may not read the model key, so it says nothing about the model.
    expect(body).not.toHaveProperty('model');
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    expect((await api.request('/no-such-route')).status).toBe(404);
    const wrongMethod = await api.request('/health', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('reports degraded with 503 once Redis stops answering', async () => {
    await redis.stack.redis.stop();
    const response = await api.request('/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'degraded', redis: { status: 'down' } });
  });
});
