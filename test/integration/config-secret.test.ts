import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toLambdaContext } from '#local/api-gateway-event.ts';
import {
  CONFIG_SECRET_ARN_ENV,
  type ConfigContext,
  configMiddleware,
  resetConfigCache,
} from '#shared/config/index.ts';

const lambdaContext = () => toLambdaContext('test', 5) as ConfigContext;

const secretArn =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:agent-platform-settings-AbCdEf';
const secretValue = {
  OPENAI_API_KEY: 'sk-secret-from-secrets-manager',
  UPSTASH_REDIS_REST_URL: 'https://eu1-example.upstash.invalid',
  UPSTASH_REDIS_REST_TOKEN: 'upstash-token-from-secrets-manager',
  ADMIN_API_KEY: 'admin-key-from-secrets-manager-0123456789',
  EMBEDDING_DIMENSIONS: 256,
};

describe('configuration from one Secrets Manager secret', () => {
  const secretsManager = mockClient(SecretsManagerClient);
  beforeEach(() => {
    secretsManager.reset();
    resetConfigCache();
  });
  afterEach(() => resetConfigCache());

  function handlerReading(env: NodeJS.ProcessEnv) {
    return middy<unknown, unknown, Error, ConfigContext>()
      .use(configMiddleware(env))
      .handler(async (_event, context) => context.config);
  }

  it('reads the secret once per container and validates it', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: secretArn })
      .resolves({ SecretString: JSON.stringify(secretValue) });
    const handler = handlerReading({ [CONFIG_SECRET_ARN_ENV]: secretArn });

    const first = (await handler({}, lambdaContext())) as ConfigContext['config'];
    const second = (await handler({}, lambdaContext())) as ConfigContext['config'];

    expect(first.openai.apiKey).toBe(secretValue.OPENAI_API_KEY);
    expect(first.openai.embeddingDimensions).toBe(256);
    expect(first.redis?.token).toBe(secretValue.UPSTASH_REDIS_REST_TOKEN);
    expect(second).toBe(first);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('fails with the setting named and no secret value when the secret is malformed', async () => {
    const leaked = 'short';
    secretsManager.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        ...secretValue,
        ADMIN_API_KEY: leaked,
        UPSTASH_REDIS_REST_URL: 'nope',
      }),
    });
    const handler = handlerReading({ [CONFIG_SECRET_ARN_ENV]: `${secretArn}-malformed` });
    const failure = await handler({}, lambdaContext()).then(
      () => undefined,
      (error: Error & { statusCode?: number }) => error,
    );
    // The caller gets a 503; the cause, for the log, names the settings.
    expect(failure).toMatchObject({ name: 'SettingsInvalidError', statusCode: 503 });
    const cause = failure?.cause as Error;
    expect(cause.name).toBe('ConfigError');
    expect(cause.message).toMatch(/ADMIN_API_KEY/);
    expect(cause.message).toMatch(/UPSTASH_REDIS_REST_URL/);
    for (const value of [
      leaked,
      secretValue.OPENAI_API_KEY,
      secretValue.UPSTASH_REDIS_REST_TOKEN,
    ]) {
      expect(`${failure?.message} ${cause.message}`).not.toContain(value);
    }
  });

  it('reports a failed secret read as 503 settings_unavailable, then retries on the next request', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('AccessDeniedException: not allowed'))
      .rejectsOnce(new Error('AccessDeniedException: not allowed'))
      .resolves({ SecretString: JSON.stringify(secretValue) });
    // Created like a handler module at import: the prefetch starts now and fails, and so
    // does the first request's own attempt.
    const handler = handlerReading({ [CONFIG_SECRET_ARN_ENV]: `${secretArn}-flaky` });
    await new Promise((resolve) => setTimeout(resolve, 20));

    const failure = await handler({}, lambdaContext()).then(
      () => undefined,
      (error: Error & { statusCode?: number; code?: string }) => error,
    );
    const recovered = (await handler({}, lambdaContext())) as ConfigContext['config'];

    expect(failure).toMatchObject({ statusCode: 503, code: 'settings_unavailable' });
    expect(failure?.message).not.toContain('AccessDenied');
    expect(recovered.openai.apiKey).toBe(secretValue.OPENAI_API_KEY);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(3);
  });

  it('refuses a secret that is not a JSON object', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'plain text secret' });
    const handler = handlerReading({ [CONFIG_SECRET_ARN_ENV]: `${secretArn}-text` });
    const failure = await handler({}, lambdaContext()).then(
      () => undefined,
      (error: Error) => error,
    );
    expect((failure?.cause as Error | undefined)?.message).toMatch(
      /CONFIG_SECRET_ARN must point to a secret holding a JSON object/,
    );
  });

  it('reads the environment when no secret is configured', async () => {
    const handler = handlerReading({ OPENAI_CHAT_MODEL: 'local-model' });
    const config = (await handler({}, lambdaContext())) as ConfigContext['config'];
    expect(config.openai.chatModel).toBe('local-model');
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});
