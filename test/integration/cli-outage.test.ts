import { describe, expect, it } from 'vitest';
import { adminKeySettings } from '../support/admin-key.ts';
import { useBuiltCli } from '../support/cli.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

// Its own file: the test stops this file's redis-server, which no later test could use.
const ADMIN_KEY = 'bootstrap-admin-key-for-cli-outage-tests';
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  LOG_LEVEL: 'SILENT',
}));
const cli = useBuiltCli();

describe('agent during an outage', () => {
  it('says what is down and that a retry is safe (503)', async () => {
    await redis.stack.redis.stop();

    const run = await cli.run(['docs', 'ls'], {
      env: { AGENT_API_URL: api.url, AGENT_API_KEY: ADMIN_KEY },
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "error: The platform's data store (Redis) is unavailable (redis_unavailable): The data store is temporarily unavailable. Retry shortly. A retry in 5 s is safe.\n",
    );
  });
});
