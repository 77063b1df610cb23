import middy from '@middy/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toLambdaContext } from '#local/api-gateway-event.ts';
import {
  type ConfigContext,
  configMiddleware,
  REFRESH_RETRY_MS,
  resetConfigCache,
  SETTINGS_MAX_AGE_MS,
} from '#shared/platform/config/index.ts';
import { useLocalAwsEndpoint } from '../support/local-aws-endpoint.ts';
import { captureLogs } from '../support/log-capture.ts';

const logs = captureLogs();
const lambdaContext = () => toLambdaContext('test', 5) as ConfigContext;
type Config = ConfigContext['config'];

const arn = (name: string) =>
  `arn:aws:secretsmanager:eu-west-1:123456789012:secret:agent-platform/test/${name}-AbCdEf`;
const arns = {
  settings: arn('settings'),
  redis: arn('redis'),
  model: arn('model'),
  admin: arn('admin'),
};
const values = {
  settings: { EMBEDDING_DIMENSIONS: 256, STAGE: 'test' },
  redis: {
    UPSTASH_REDIS_REST_URL: 'https://eu1-example.upstash.invalid',
    UPSTASH_REDIS_REST_TOKEN: 'upstash-token-from-secrets-manager',
  },
  model: { OPENAI_API_KEY: 'openai-key-from-secrets-manager' },
  admin: { ADMIN_API_KEY_SHA256: 'c0'.repeat(32) },
};

/**
 * A local Secrets Manager endpoint: the functions call `GetSecretValue` over signed HTTP,
 * not through the SDK, so the boundary the tests fake is HTTP. It answers each SecretId
 * from `answers` (a SecretString, or an AWS error), and records every request.
 */
type Answer = { SecretString: string } | { status: number; type: string; message: string };
const answers = new Map<string, Answer>();
/** Answers given once to the next requests, whatever their SecretId, before `answers`. */
const nextAnswers: Answer[] = [];
const secretsManager = useLocalAwsEndpoint<{ SecretId: string }>((body) => {
  const answer = nextAnswers.shift() ?? answers.get(body.SecretId);
  const failure = !answer
    ? { status: 400, type: 'ResourceNotFoundException', message: 'not found' }
    : 'status' in answer
      ? answer
      : undefined;
  return failure
    ? { status: failure.status, json: { __type: failure.type, message: failure.message } }
    : { status: 200, json: { ...answer, ARN: body.SecretId } };
}, 'application/x-amz-json-1.1');
const received = secretsManager.received;

/** What Lambda sets, with the endpoint pointed at the local server. */
const awsEnv = () => ({
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'TESTACCESSKEYID',
  AWS_SECRET_ACCESS_KEY: 'test-secret-access-key-not-a-real-one',
  AWS_SESSION_TOKEN: 'session-token-example',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
});

/** A function that may read every group but Slack, as search and ingest may. */
const everyGroupEnv = {
  CONFIG_SECRET_ARN: arns.settings,
  CONFIG_SECRET_ARN_REDIS: arns.redis,
  CONFIG_SECRET_ARN_MODEL: arns.model,
  CONFIG_SECRET_ARN_ADMIN: arns.admin,
};

const awsError = (type: string, status = 400): Answer => ({ status, type, message: 'refused' });

describe('configuration from the settings secret and the secret groups', () => {
  beforeEach(() => {
    answers.clear();
    nextAnswers.length = 0;
    received.length = 0;
    resetConfigCache();
  });
  afterEach(() => {
    vi.useRealTimers();
    resetConfigCache();
  });

  function serve(secrets: Partial<Record<keyof typeof values, unknown>>) {
    for (const [name, value] of Object.entries(secrets)) {
      answers.set(arns[name as keyof typeof arns], { SecretString: JSON.stringify(value) });
    }
  }

  function handlerReading(env: NodeJS.ProcessEnv) {
    return middy<unknown, unknown, Error, ConfigContext>()
      .use(configMiddleware({ ...awsEnv(), ...env }))
      .handler(async (_event, context) => context.config);
  }

  const call = (handler: ReturnType<typeof handlerReading>) =>
    handler({}, lambdaContext()).then(
      (config) => config as Config,
      (error: Error & { statusCode?: number; code?: string }) => error,
    );

  const secretIdsRead = () => received.map((request) => request.body.SecretId);

  it('reads each secret the function was given once, and merges the groups over the settings', async () => {
    serve(values);
    const handler = handlerReading(everyGroupEnv);

    const first = (await call(handler)) as Config;
    const second = (await call(handler)) as Config;

    expect(first.openai.apiKey).toBe(values.model.OPENAI_API_KEY);
    expect(first.openai.embeddingDimensions).toBe(256);
    expect(first.redis?.token).toBe(values.redis.UPSTASH_REDIS_REST_TOKEN);
    expect(first.auth.adminApiKeySha256).toBe(values.admin.ADMIN_API_KEY_SHA256);
    expect(second).toBe(first);
    expect(secretIdsRead().sort()).toEqual(Object.values(arns).sort());
  });

  it('reads only the secrets whose ARNs the function has', async () => {
    serve(values);
    // Health's environment: the settings and the redis group.
    const handler = handlerReading({
      CONFIG_SECRET_ARN: arns.settings,
      CONFIG_SECRET_ARN_REDIS: arns.redis,
    });
    const config = (await call(handler)) as Config;
    expect(secretIdsRead().sort()).toEqual([arns.redis, arns.settings]);
    expect(config.redis?.token).toBe(values.redis.UPSTASH_REDIS_REST_TOKEN);
    expect(config.openai.apiKey).toBeUndefined();
    expect(config.auth.adminApiKeySha256).toBeUndefined();
  });

  it('refuses a secret setting kept in the settings secret every function reads', async () => {
    serve({
      ...values,
      settings: { ...values.settings, OPENAI_API_KEY: 'openai-key-in-the-wrong-place' },
    });
    const failure = (await call(handlerReading(everyGroupEnv))) as Error;
    expect(failure).toMatchObject({ statusCode: 503, code: 'settings_invalid' });
    expect((failure.cause as Error).message).toMatch(
      /OPENAI_API_KEY belongs in the model secret, not settings/,
    );
    expect((failure.cause as Error).message).not.toContain('openai-key-in-the-wrong-place');
  });

  it('refuses a key that is no setting, such as a plaintext admin key', async () => {
    serve({ ...values, admin: { ADMIN_API_KEY: 'plaintext-admin-key-0123456789abcdef' } });
    const failure = (await call(handlerReading(everyGroupEnv))) as Error;
    expect((failure.cause as Error).message).toMatch(
      /ADMIN_API_KEY is not a setting \(in the admin secret\)/,
    );
    expect((failure.cause as Error).message).not.toContain('plaintext-admin-key');
  });

  it('fails with the setting named and no secret value when a secret is malformed', async () => {
    const leaked = 'short';
    serve({
      ...values,
      admin: { ADMIN_API_KEY_SHA256: leaked },
      redis: { ...values.redis, UPSTASH_REDIS_REST_URL: 'nope' },
    });
    const failure = (await call(handlerReading(everyGroupEnv))) as Error;
    // The caller gets a 503; the cause, for the log, names the settings.
    expect(failure).toMatchObject({ name: 'SettingsInvalidError', statusCode: 503 });
    const cause = failure.cause as Error;
    expect(cause.name).toBe('ConfigError');
    expect(cause.message).toMatch(/ADMIN_API_KEY_SHA256/);
    expect(cause.message).toMatch(/UPSTASH_REDIS_REST_URL/);
    for (const value of [
      leaked,
      values.model.OPENAI_API_KEY,
      values.redis.UPSTASH_REDIS_REST_TOKEN,
    ]) {
      expect(`${failure.message} ${cause.message}`).not.toContain(value);
    }
  });

  it('reports a failed first read as 503 settings_unavailable, then retries on the next request', async () => {
    nextAnswers.push(awsError('AccessDeniedException'), awsError('AccessDeniedException'));
    serve({ settings: values.settings });
    // Created like a handler module at import: the prefetch starts now and fails, and so
    // does the first request's own attempt.
    const handler = handlerReading({ CONFIG_SECRET_ARN: arns.settings });
    await new Promise((resolve) => setTimeout(resolve, 20));

    const failure = (await call(handler)) as Error;
    const recovered = (await call(handler)) as Config;

    expect(failure).toMatchObject({ statusCode: 503, code: 'settings_unavailable' });
    expect(failure.message).not.toContain('AccessDenied');
    expect(recovered.openai.embeddingDimensions).toBe(256);
    expect(received).toHaveLength(3);
  });

  it('reads the secrets again after the maximum age and rebuilds the config only on a change', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    serve(values);
    const handler = handlerReading(everyGroupEnv);
    const first = (await call(handler)) as Config;

    vi.advanceTimersByTime(SETTINGS_MAX_AGE_MS - 1000);
    expect(await call(handler)).toBe(first);
    expect(secretIdsRead()).toHaveLength(4);

    vi.advanceTimersByTime(1000);
    const unchanged = await call(handler);
    expect(secretIdsRead()).toHaveLength(8);
    expect(unchanged).toBe(first);

    const rotated = { OPENAI_API_KEY: 'openai-key-rotated-in-secrets-manager' };
    serve({ model: rotated });
    vi.advanceTimersByTime(SETTINGS_MAX_AGE_MS);
    const afterRotation = (await call(handler)) as Config;
    expect(afterRotation).not.toBe(first);
    expect(afterRotation.openai.apiKey).toBe(rotated.OPENAI_API_KEY);
    expect(afterRotation.redis).toEqual(first.redis);
  });

  it('keeps serving the last good settings with a warning when a refresh fails, and retries', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    serve(values);
    const handler = handlerReading(everyGroupEnv);
    const good = (await call(handler)) as Config;

    answers.set(arns.redis, awsError('ThrottlingException'));
    vi.advanceTimersByTime(SETTINGS_MAX_AGE_MS);
    expect(await call(handler)).toBe(good);
    expect(logs.text()).toMatch(/Settings refresh failed; serving the last good settings/);
    expect(logs.text()).toMatch(/ThrottlingException/);

    // Within the pause after a failure, requests read nothing and keep the last good settings.
    serve({ redis: values.redis });
    const before = secretIdsRead().length;
    vi.advanceTimersByTime(REFRESH_RETRY_MS - 1000);
    expect(await call(handler)).toBe(good);
    expect(secretIdsRead()).toHaveLength(before);

    // After it, only the secret that failed is read again.
    vi.advanceTimersByTime(1000);
    expect(await call(handler)).toBe(good);
    expect(secretIdsRead().slice(before)).toEqual([arns.redis]);
  });

  it('keeps the last good settings when a refresh brings invalid ones', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    serve(values);
    const handler = handlerReading(everyGroupEnv);
    const good = (await call(handler)) as Config;

    serve({ settings: { EMBEDDING_DIMENSIONS: 'many' } });
    vi.advanceTimersByTime(SETTINGS_MAX_AGE_MS);
    expect(await call(handler)).toBe(good);
  });

  it('refuses a secret that is not a JSON object', async () => {
    answers.set(arns.settings, { SecretString: 'plain text secret' });
    const failure = (await call(handlerReading({ CONFIG_SECRET_ARN: arns.settings }))) as Error;
    expect((failure.cause as Error | undefined)?.message).toMatch(
      /CONFIG_SECRET_ARN must point to a secret holding a JSON object/,
    );
  });

  it('signs each GetSecretValue call as SigV4 over the JSON protocol, with the session token', async () => {
    serve(values);
    await call(handlerReading({ CONFIG_SECRET_ARN: arns.settings }));
    const [request] = received;
    expect(request?.body).toEqual({ SecretId: arns.settings });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'secretsmanager.GetSecretValue',
      'x-amz-security-token': 'session-token-example',
      'x-amz-date': expect.stringMatching(/^\d{8}T\d{6}Z$/),
    });
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=TESTACCESSKEYID\/\d{8}\/eu-west-1\/secretsmanager\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
  });

  it.each([
    ['AccessDeniedException', 400],
    ['ResourceNotFoundException', 400],
    ['ThrottlingException', 400],
    ['InternalServiceError', 500],
  ])('answers 503 settings_unavailable when Secrets Manager says %s', async (type, status) => {
    answers.set(arns.settings, awsError(type, status));
    const failure = (await call(handlerReading({ CONFIG_SECRET_ARN: arns.settings }))) as Error;
    expect(failure).toMatchObject({ statusCode: 503, code: 'settings_unavailable' });
    expect(failure.cause).toMatchObject({ name: 'AwsCallError', code: type, status });
  });

  it('answers 503 settings_unavailable when Secrets Manager cannot be reached', async () => {
    const handler = handlerReading({
      CONFIG_SECRET_ARN: arns.settings,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9',
    });
    const failure = (await call(handler)) as Error;
    expect(failure).toMatchObject({ statusCode: 503, code: 'settings_unavailable' });
    expect(failure.cause).toMatchObject({ code: 'NetworkError' });
  });

  it('never leaves a failed prefetch as an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      answers.set(arns.settings, awsError('AccessDeniedException'));
      handlerReading({ CONFIG_SECRET_ARN: arns.settings });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(received).toHaveLength(1);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('reads the environment when no secret is configured', async () => {
    const config = (await call(handlerReading({ OPENAI_CHAT_MODEL: 'local-model' }))) as Config;
    expect(config.openai.chatModel).toBe('local-model');
    expect(received).toHaveLength(0);
  });
});
