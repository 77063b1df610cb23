import type { Settings } from './schema.ts';

/**
 * Secret settings live in one Secrets Manager secret per group, so a function's role can
 * read only the groups its catalog entry names; every other setting (limits, URLs, model
 * names, stage, log level, CORS) is in the `settings` secret that every function reads.
 */
export const secretGroups = {
  redis: ['UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN'],
  model: ['OPENAI_API_KEY'],
  slack: ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_API_URL', 'SLACK_DEFAULT_TENANT'],
  admin: ['ADMIN_API_KEY_SHA256'],
} as const satisfies Record<string, readonly (keyof Settings)[]>;

export type SecretGroup = keyof typeof secretGroups;

/** A settings secret: the non-secret `settings` one, or a secret group. */
export type SettingsSecret = 'settings' | SecretGroup;

export const secretGroupNames = Object.keys(secretGroups) as SecretGroup[];

export const settingsSecrets: readonly SettingsSecret[] = ['settings', ...secretGroupNames];

/** The secret a setting belongs in. */
export function secretOf(setting: keyof Settings): SettingsSecret {
  for (const group of secretGroupNames) {
    if ((secretGroups[group] as readonly string[]).includes(setting)) return group;
  }
  return 'settings';
}

/**
 * `agent-platform/<stage>/<secret>`: derived from the stage alone, so the stack and the
 * operator's put script agree on names without asking AWS.
 */
export function secretName(stage: string, secret: SettingsSecret): string {
  return `agent-platform/${stage}/${secret}`;
}

/**
 * The environment variable holding one secret's ARN in a deployed function:
 * `CONFIG_SECRET_ARN` for `settings`, `CONFIG_SECRET_ARN_<GROUP>` for a group.
 */
export function secretArnVariable(secret: SettingsSecret): string {
  return secret === 'settings' ? 'CONFIG_SECRET_ARN' : `CONFIG_SECRET_ARN_${secret.toUpperCase()}`;
}

/** Splits settings by the secret each belongs in; every secret gets an object, maybe empty. */
export function splitBySecret(
  settings: Partial<Record<keyof Settings, unknown>>,
): Record<SettingsSecret, Record<string, unknown>> {
  const split = Object.fromEntries(settingsSecrets.map((secret) => [secret, {}])) as Record<
    SettingsSecret,
    Record<string, unknown>
  >;
  for (const [name, value] of Object.entries(settings)) {
    split[secretOf(name as keyof Settings)][name] = value;
  }
  return split;
}
