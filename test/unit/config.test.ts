import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '#shared/platform/config/index.ts';

const validSecrets = {
  OPENAI_API_KEY: 'sk-unit-test-openai-secret-value',
  UPSTASH_REDIS_REST_URL: 'https://example-upstash.invalid',
  UPSTASH_REDIS_REST_TOKEN: 'upstash-unit-test-token-value',
  ADMIN_API_KEY_SHA256: 'ab'.repeat(32),
};

function configError(source: Record<string, unknown>): ConfigError {
  try {
    parseConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected parseConfig to throw');
}

describe('parseConfig', () => {
  it('applies documented defaults to an empty environment', () => {
    const config = parseConfig({});
    expect(config.openai.chatModel).toBe('gpt-4o-mini');
    expect(config.openai.embeddingModel).toBe('text-embedding-3-small');
    expect(config.openai.apiKey).toBeUndefined();
    expect(config.redis).toBeUndefined();
    expect(config.cors.allowedOrigins).toEqual([]);
    expect(config.limits.documentMaxBytes).toBe(4 * 1024 * 1024);
  });

  it('groups settings and coerces numbers and lists', () => {
    const config = parseConfig({
      ...validSecrets,
      EMBEDDING_DIMENSIONS: '256',
      CORS_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      LOG_LEVEL: 'debug',
    });
    expect(config.redis).toEqual({
      url: validSecrets.UPSTASH_REDIS_REST_URL,
      token: validSecrets.UPSTASH_REDIS_REST_TOKEN,
    });
    expect(config.openai.embeddingDimensions).toBe(256);
    expect(config.cors.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.logLevel).toBe('DEBUG');
  });

  it('refuses plain http for the Redis and model URLs unless they are on this machine', () => {
    // Prepare
    const remote = {
      UPSTASH_REDIS_REST_URL: 'http://redis.example.com',
      OPENAI_BASE_URL: 'http://10.0.0.5/v1',
    };

    // Act
    const error = configError(remote);

    // Assess
    expect([...error.settings].sort()).toEqual(['OPENAI_BASE_URL', 'UPSTASH_REDIS_REST_URL']);
    expect(error.message).toMatch(/must be https/);
    for (const local of ['http://localhost:8080', 'http://127.0.0.1:9/v1', 'http://[::1]:3000']) {
      expect(parseConfig({ OPENAI_BASE_URL: local }).openai.baseUrl).toBe(local);
    }
  });

  it('accepts .env.example as it is: every empty line means the default', () => {
    const lines = readFileSync('.env.example', 'utf8').split('\n');
    const settings = Object.fromEntries(
      lines
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    const config = parseConfig(settings);
    expect(config.redis).toBeUndefined();
    expect(config.openai.baseUrl).toBeUndefined();
    expect(config.cors.allowedOrigins).toEqual([]);
  });

  it('treats empty strings as unset', () => {
    expect(
      parseConfig({ OPENAI_API_KEY: '', OPENAI_BASE_URL: undefined }).openai.apiKey,
    ).toBeUndefined();
  });

  it('names every malformed setting in one error', () => {
    const error = configError({
      EMBEDDING_DIMENSIONS: 'many',
      OPENAI_BASE_URL: 'not a url',
      LOG_LEVEL: 'LOUD',
    });
    expect(error.settings.sort()).toEqual(['EMBEDDING_DIMENSIONS', 'LOG_LEVEL', 'OPENAI_BASE_URL']);
    expect(error.message).toMatch(/EMBEDDING_DIMENSIONS/);
    expect(error.message).toMatch(/OPENAI_BASE_URL/);
  });

  it('refuses a chat answer budget larger than half the context budget', () => {
    const error = configError({ CHAT_CONTEXT_TOKENS: '4000', CHAT_MAX_ANSWER_TOKENS: '3000' });
    expect(error.settings).toEqual(['CHAT_MAX_ANSWER_TOKENS']);
    expect(error.message).toMatch(/at most half of CHAT_CONTEXT_TOKENS/);
    expect(
      parseConfig({ CHAT_CONTEXT_TOKENS: '4000', CHAT_MAX_ANSWER_TOKENS: '2000' }).chat,
    ).toMatchObject({
      contextTokens: 4000,
      maxAnswerTokens: 2000,
    });
  });

  it('never prints a secret value, even when the secret itself is malformed', () => {
    const shortSecret = 'tiny-secret';
    const error = configError({
      ...validSecrets,
      ADMIN_API_KEY_SHA256: shortSecret,
      OPENAI_BASE_URL: 'ftp://x',
    });
    expect(error.settings).toContain('ADMIN_API_KEY_SHA256');
    const printed = `${error.message} ${String(error.stack)} ${JSON.stringify(error)}`;
    for (const value of [shortSecret, ...Object.values(validSecrets)])
      expect(printed).not.toContain(value);
  });

  it('ignores variables that are not settings', () => {
    const config = parseConfig({ PATH: '/usr/bin', HOME: '/root' });
    expect(JSON.stringify(config)).not.toContain('/usr/bin');
  });
});
