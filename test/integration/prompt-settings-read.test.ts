import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis as RedisConnection } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PROMPT_TEXTS,
  PROMPT_SETTINGS_READ_COMMANDS,
  queuePromptSettingsRead,
  readPromptSetting,
  resetPromptSetting,
  writePromptSetting,
} from '#shared/chat/prompt-settings/index.ts';
import { createRedisClient } from '#shared/platform/redis/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const redis = useLocalRedis();
// Straight to redis-server, past the gateway: to read the server's own command counts.
let server: RedisConnection;
beforeAll(async () => {
  server = new RedisConnection({ path: redis.stack.redis.socketPath, lazyConnect: true });
  await server.connect();
});
afterAll(async () => {
  server.disconnect();
});

/** Commands redis-server ran since the last reset, by name, leaving out the counting itself. */
async function commandsRun(): Promise<Record<string, number>> {
  const info = await server.info('commandstats');
  const counts: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const [, name, calls] = match;
    if (name && calls && !/^(config|info)\b/.test(name)) counts[name] = Number(calls);
  }
  return counts;
}

describe('queuePromptSettingsRead', () => {
  it('adds one HMGET to the pipeline, at its own offset, and costs nothing else', async () => {
    // Prepare
    const client = createRedisClient(redis.stack);
    await writePromptSetting(client, 'acme', 'persona', 'The assistant of Acme.');
    const pipeline = client.pipeline();
    pipeline.get('agent:acme:something-before');
    pipeline.get('agent:acme:something-else');
    await server.config('RESETSTAT');
    redis.stack.gateway.resetRequestCount();

    // Act
    const read = queuePromptSettingsRead(pipeline, 'acme');
    const added = pipeline.length() - 2;
    pipeline.get('agent:acme:something-after');
    const settings = read(await pipeline.exec());

    // Assess
    expect(added).toBe(PROMPT_SETTINGS_READ_COMMANDS);
    expect(PROMPT_SETTINGS_READ_COMMANDS).toBe(1);
    expect(await commandsRun()).toEqual({ get: 3, hmget: 1 });
    expect(redis.stack.gateway.requestCount).toBe(1);
    expect(settings).toEqual({
      persona: 'The assistant of Acme.',
      instructions: DEFAULT_PROMPT_TEXTS.instructions,
      personaSource: 'tenant',
      instructionsSource: 'default',
    });
  });

  it('gives the defaults to a tenant that set nothing', async () => {
    const client = createRedisClient(redis.stack);
    const pipeline = client.pipeline();

    const read = queuePromptSettingsRead(pipeline, 'blank');
    const settings = read(await pipeline.exec());

    expect(settings).toEqual({
      persona: DEFAULT_PROMPT_TEXTS.persona,
      instructions: DEFAULT_PROMPT_TEXTS.instructions,
      personaSource: 'default',
      instructionsSource: 'default',
    });
  });

  it('sees a change on the very next read, and a reset as the default again', async () => {
    const client = createRedisClient(redis.stack);
    const readNow = async () => {
      const pipeline = client.pipeline();
      const read = queuePromptSettingsRead(pipeline, 'changing');
      return read(await pipeline.exec());
    };

    await writePromptSetting(client, 'changing', 'instructions', 'First rules.');
    const first = await readNow();
    await writePromptSetting(client, 'changing', 'instructions', 'Second rules.');
    const second = await readNow();
    await resetPromptSetting(client, 'changing', 'instructions');
    const third = await readNow();

    expect([first, second, third].map((settings) => settings.instructions)).toEqual([
      'First rules.',
      'Second rules.',
      DEFAULT_PROMPT_TEXTS.instructions,
    ]);
    expect(third.instructionsSource).toBe('default');
  });

  it('reads the same from a client that deserializes replies itself', async () => {
    // The platform's client keeps replies raw; one built with the library's defaults turns
    // HMGET into a record and the stored JSON into objects.
    const client = new UpstashRedis({
      url: redis.stack.url,
      token: redis.stack.token,
      enableTelemetry: false,
    });
    await writePromptSetting(createRedisClient(redis.stack), 'parsed', 'persona', 'Terse.');
    const pipeline = client.pipeline();

    const settings = queuePromptSettingsRead(pipeline, 'parsed')(await pipeline.exec());
    const blank = client.pipeline();
    const defaults = queuePromptSettingsRead(blank, 'parsed-blank')(await blank.exec());

    expect(settings).toMatchObject({ persona: 'Terse.', personaSource: 'tenant' });
    expect(settings.instructionsSource).toBe('default');
    expect(defaults.personaSource).toBe('default');
  });

  it('falls back to the default for a value that is not what the store writes', async () => {
    const client = createRedisClient(redis.stack);
    await client.hset('agent:edited:prompt-settings', {
      persona: 'not json',
      instructions: JSON.stringify({ text: '', updatedAt: '2026-01-01T00:00:00.000Z' }),
    });
    const pipeline = client.pipeline();

    const settings = queuePromptSettingsRead(pipeline, 'edited')(await pipeline.exec());

    expect(settings.personaSource).toBe('default');
    expect(settings.instructionsSource).toBe('default');
    expect(await readPromptSetting(client, 'edited', 'persona')).toEqual({
      text: DEFAULT_PROMPT_TEXTS.persona,
      source: 'default',
      updatedAt: null,
    });
  });
});
