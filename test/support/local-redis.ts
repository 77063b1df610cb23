import { Redis } from '@upstash/redis';
import { afterAll, beforeAll } from 'vitest';
import { type LocalRedisStack, startLocalRedisStack } from '#local/local-stack.ts';

export interface RedisFixture {
  /** The running stack; valid inside tests and hooks. */
  readonly stack: LocalRedisStack;
  /** A fresh `@upstash/redis` client pointed at the gateway. */
  client(options?: { token?: string }): Redis;
  /** Every key in the database, sorted: for asserting that nothing was written. */
  allKeys(): Promise<string[]>;
  /** The settings that point the platform at this gateway. */
  settings(): { UPSTASH_REDIS_REST_URL: string; UPSTASH_REDIS_REST_TOKEN: string };
}

/**
 * Starts a private redis-server and Upstash gateway for one test file and stops them
 * afterwards. Each file gets its own server, so files can run in parallel.
 */
export function useLocalRedis(): RedisFixture {
  let stack: LocalRedisStack | undefined;
  beforeAll(async () => {
    stack = await startLocalRedisStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const fixture: RedisFixture = {
    get stack() {
      if (!stack) throw new Error('useLocalRedis: the stack is only available inside tests');
      return stack;
    },
    client(options = {}) {
      return new Redis({
        url: fixture.stack.url,
        token: options.token ?? fixture.stack.token,
        automaticDeserialization: false,
        enableTelemetry: false,
        retry: false,
      });
    },
    settings() {
      return {
        UPSTASH_REDIS_REST_URL: fixture.stack.url,
        UPSTASH_REDIS_REST_TOKEN: fixture.stack.token,
      };
    },
    async allKeys() {
      const keys = await fixture.client().keys('*');
      return keys.sort();
    },
  };
  return fixture;
}
