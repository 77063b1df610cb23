import { PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { newAdminKey } from '#shared/auth/admin-key.ts';
import {
  ConfigError,
  parseConfig,
  type SettingsSecret,
  secretName,
  settingsSchema,
  splitBySecret,
} from '#shared/platform/config/index.ts';
import { SettingsFileError } from './errors.ts';

export interface PutSettingsOptions {
  stage: string;
  /** The parsed settings file: the keys of `.env.example`. */
  settings: unknown;
  client: SecretsManagerClient;
  /** Make a new bootstrap admin key and store its hash. */
  newAdminKey?: boolean;
}

export interface PutSettingsResult {
  /** Names of the secrets written, one per group and the `settings` one. */
  written: string[];
  /** Names of the secrets left as they were (the admin one, when the file has no hash). */
  unchanged: string[];
  /** The new bootstrap admin key, when one was asked for: shown once, stored nowhere. */
  adminKey?: string;
}

/**
 * Validates one settings object with the settings schema, splits it by secret and writes
 * every secret of the stage (a group absent from the file is written as `{}`, so removing
 * a setting from the file removes it from AWS), except the admin secret: a file without
 * `ADMIN_API_KEY_SHA256` (and no `--new-admin-key`) leaves it as it is, since emptying it
 * would lock the operator out. Throws {@link SettingsFileError} before
 * writing anything if the file holds an unknown key, a plaintext admin key, an invalid
 * value or another stage's name.
 */
export async function putSettings(options: PutSettingsOptions): Promise<PutSettingsResult> {
  const settings = checkedSettings(options);
  const adminKey = options.newAdminKey ? newAdminKey() : undefined;
  if (adminKey) settings.ADMIN_API_KEY_SHA256 = adminKey.sha256;

  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [secret, values] of Object.entries(splitBySecret(settings)) as [
    SettingsSecret,
    Record<string, unknown>,
  ][]) {
    const name = secretName(options.stage, secret);
    if (secret === 'admin' && Object.keys(values).length === 0) {
      unchanged.push(name);
      continue;
    }
    await options.client.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: JSON.stringify(values) }),
    );
    written.push(name);
  }
  return adminKey ? { written, unchanged, adminKey: adminKey.key } : { written, unchanged };
}

function checkedSettings(options: PutSettingsOptions): Record<string, unknown> {
  const { settings, stage } = options;
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new SettingsFileError('The settings file must hold one JSON object.');
  }
  const given = { ...(settings as Record<string, unknown>) };
  if ('ADMIN_API_KEY' in given) {
    throw new SettingsFileError(
      "ADMIN_API_KEY is refused: the settings hold only the key's SHA-256. Put it in ADMIN_API_KEY_SHA256 (npm run admin-key prints both), or remove it and pass --new-admin-key to make a key and store its hash.",
    );
  }
  const unknown = Object.keys(given).filter((name) => !(name in settingsSchema.shape));
  if (unknown.length > 0) {
    throw new SettingsFileError(
      `Unknown settings: ${unknown.join(', ')}. Only the keys of .env.example are allowed.`,
    );
  }
  if (options.newAdminKey && given.ADMIN_API_KEY_SHA256 !== undefined) {
    throw new SettingsFileError(
      'The file sets ADMIN_API_KEY_SHA256 and --new-admin-key asks for a new key: keep one of the two.',
    );
  }
  if (given.STAGE !== undefined && given.STAGE !== stage) {
    throw new SettingsFileError(
      `The file is for stage "${String(given.STAGE)}", not "${stage}": check --stage.`,
    );
  }
  given.STAGE = stage;
  try {
    parseConfig(given);
  } catch (error) {
    if (error instanceof ConfigError) throw new SettingsFileError(error.message, { cause: error });
    throw error;
  }
  return given;
}
