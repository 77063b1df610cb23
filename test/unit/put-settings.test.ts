import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '#shared/auth/api-key-format.ts';
import { putSettings } from '../../scripts/settings/put-settings.ts';

const secretsManager = mockClient(SecretsManagerClient);
const client = new SecretsManagerClient({ region: 'eu-west-1' });

const settings = {
  UPSTASH_REDIS_REST_URL: 'https://eu1-example.upstash.invalid',
  UPSTASH_REDIS_REST_TOKEN: 'upstash-token-for-put-tests',
  OPENAI_API_KEY: 'openai-key-for-put-settings-test',
  ADMIN_API_KEY_SHA256: 'ab'.repeat(32),
  RATE_LIMIT_PER_MINUTE: 300,
  LOG_LEVEL: 'WARN',
};

/** What each secret was sent, by name. */
function sent(): Record<string, unknown> {
  return Object.fromEntries(
    secretsManager
      .commandCalls(PutSecretValueCommand)
      .map(({ args }) => [args[0].input.SecretId, JSON.parse(args[0].input.SecretString ?? '')]),
  );
}

const refusal = (options: Partial<Parameters<typeof putSettings>[0]>) =>
  putSettings({ stage: 'dev', settings, client, ...options }).then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: Error) => error,
  );

describe('npm run settings:put', () => {
  beforeEach(() => {
    secretsManager.reset();
    secretsManager.on(PutSecretValueCommand).resolves({});
  });

  it('writes each group to its own secret and the rest to the settings secret', async () => {
    const result = await putSettings({ stage: 'dev', settings, client });

    expect(sent()).toEqual({
      'agent-platform/dev/settings': {
        RATE_LIMIT_PER_MINUTE: 300,
        LOG_LEVEL: 'WARN',
        STAGE: 'dev',
      },
      'agent-platform/dev/redis': {
        UPSTASH_REDIS_REST_URL: settings.UPSTASH_REDIS_REST_URL,
        UPSTASH_REDIS_REST_TOKEN: settings.UPSTASH_REDIS_REST_TOKEN,
      },
      'agent-platform/dev/model': { OPENAI_API_KEY: settings.OPENAI_API_KEY },
      // Absent from the file, so emptied: a removed setting leaves AWS too.
      'agent-platform/dev/slack': {},
      'agent-platform/dev/admin': { ADMIN_API_KEY_SHA256: settings.ADMIN_API_KEY_SHA256 },
    });
    expect(result.written).toHaveLength(5);
    expect(result.adminKey).toBeUndefined();
  });

  it('leaves the admin secret as it is when the file has no admin key hash', async () => {
    // Prepare: a file that only changes a limit.
    const { ADMIN_API_KEY_SHA256: _hash, ...withoutAdmin } = settings;

    // Act
    const result = await putSettings({ stage: 'dev', settings: withoutAdmin, client });

    // Assess
    expect(Object.keys(sent())).not.toContain('agent-platform/dev/admin');
    expect(result.unchanged).toEqual(['agent-platform/dev/admin']);
    expect(result.written).toHaveLength(4);
  });

  it('makes a new admin key on request and stores only its hash', async () => {
    const { ADMIN_API_KEY_SHA256: _, ...withoutHash } = settings;
    const result = await putSettings({
      stage: 'prod',
      settings: withoutHash,
      client,
      newAdminKey: true,
    });

    const key = result.adminKey ?? '';
    expect(key.length).toBeGreaterThanOrEqual(43);
    expect(sent()['agent-platform/prod/admin']).toEqual({ ADMIN_API_KEY_SHA256: hashApiKey(key) });
    for (const call of secretsManager.commandCalls(PutSecretValueCommand)) {
      expect(call.args[0].input.SecretString).not.toContain(key);
    }
  });

  it('refuses a plaintext admin key, saying what to do instead', async () => {
    const error = await refusal({
      settings: { ...settings, ADMIN_API_KEY: 'a-plaintext-admin-key-0123456789abcdef' },
    });
    expect(error.name).toBe('SettingsFileError');
    expect(error.message).toMatch(
      /ADMIN_API_KEY is refused.*ADMIN_API_KEY_SHA256.*--new-admin-key/,
    );
    expect(error.message).not.toContain('a-plaintext-admin-key');
    expect(secretsManager.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('refuses unknown keys, invalid values and another stage before writing anything', async () => {
    expect((await refusal({ settings: { ...settings, OPENAI_KEY: 'x' } })).message).toMatch(
      /Unknown settings: OPENAI_KEY/,
    );
    expect((await refusal({ settings: { ...settings, LOG_LEVEL: 'LOUD' } })).message).toMatch(
      /LOG_LEVEL/,
    );
    expect((await refusal({ settings: { ...settings, STAGE: 'prod' } })).message).toMatch(
      /stage "prod", not "dev"/,
    );
    expect((await refusal({ newAdminKey: true })).message).toMatch(/keep one of the two/);
    expect((await refusal({ settings: ['not', 'an', 'object'] })).message).toMatch(/JSON object/);
    expect(secretsManager.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });
});
