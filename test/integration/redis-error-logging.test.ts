import { describe, expect, it } from 'vitest';
import { logger } from '#shared/platform/logging/logger.ts';
import { RedisCommandError, redisCall } from '#shared/platform/redis/index.ts';
import { useLocalRedis } from '#test/support/local-redis.ts';
import { captureLogs } from '#test/support/log-capture.ts';

const redisFixture = useLocalRedis();
const logs = captureLogs();

/** Text that stands for a document's content inside a failing command. */
const PAYLOAD = 'confidential-quarterly-figures-7f3a';
/** Past Upstash's 10 MB request cap: refused with a 400 whose message echoes the request. */
const OVERSIZE = `${PAYLOAD} ${'x'.repeat(10.5 * 1024 * 1024)}`;

describe('Redis errors in logs', () => {
  it('become a RedisCommandError that keeps the reply and drops the command', async () => {
    // Prepare
    const redis = redisFixture.client();
    const write = redis.multi().hset('agent:t1:doc', { text: OVERSIZE });

    // Act
    const error = await redisCall(() => write.exec()).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(RedisCommandError);
    const { message, stack, cause } = error as RedisCommandError;
    expect(message).toMatch(/max request size exceeded/);
    expect(`${message} ${stack} ${String(cause)}`).not.toContain(PAYLOAD);
    expect(await redis.exists('agent:t1:doc')).toBe(0);
  });

  it('keep the short reply of a failed command', async () => {
    // Prepare: a hash write to a key that holds a string fails with WRONGTYPE.
    const redis = redisFixture.client();
    await redis.set('agent:t1:wrongtype', 'x');

    // Act
    const error = await redisCall(() => redis.hset('agent:t1:wrongtype', { text: PAYLOAD })).catch(
      (caught: unknown) => caught,
    );

    // Assess
    expect(error).toBeInstanceOf(RedisCommandError);
    expect((error as Error).message).toMatch(/^Redis command failed: UpstashError: .*WRONGTYPE/);
  });

  it("are logged without the request the client's own error echoes", async () => {
    // Prepare: the client's raw error, as when a library calls Redis directly.
    const redis = redisFixture.client();
    const raw = await redis
      .multi()
      .hset('agent:t1:doc', { text: OVERSIZE })
      .exec()
      .catch((caught: unknown) => caught as Error);
    expect(String((raw as Error).message)).toContain(PAYLOAD);

    // Act
    logger.error('redis failed', { error: raw as Error });

    // Assess
    const logged = logs.text();
    expect(logged).toContain('max request size exceeded');
    expect(logged).toContain('command was: [omitted]');
    expect(logged).not.toContain(PAYLOAD);
  });
});
