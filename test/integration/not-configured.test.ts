import { describe, expect, it } from 'vitest';
import { callApi } from '../support/api-client.ts';
import { useLocalApi } from '../support/local-api.ts';

// A fresh deploy before the settings secret is filled: no Redis settings at all.
const api = useLocalApi(() => ({
  UPSTASH_REDIS_REST_URL: '',
  UPSTASH_REDIS_REST_TOKEN: '',
  LOG_LEVEL: 'SILENT',
}));

describe('a platform without Redis settings', () => {
  it('answers 503 not_configured naming the missing settings', async () => {
    for (const path of ['/health', '/v1/keys']) {
      const response = await callApi(api, 'GET', path, 'apk.default.0123456789abcdef.x');
      expect(response.status).toBe(503);
      expect(response.json.error.code).toBe('not_configured');
      expect(response.json.error.message).toContain('UPSTASH_REDIS_REST_URL');
      expect(response.headers.get('retry-after')).toBe('60');
    }
  });

  it('still serves the API description, which needs no Redis', async () => {
    expect((await callApi(api, 'GET', '/openapi.json')).status).toBe(200);
  });
});
