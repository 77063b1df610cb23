import { ConfigError } from './errors.ts';
import type { SettingsSource } from './parse.ts';
import { type Settings, settingsSchema } from './schema.ts';
import { type SettingsSecret, secretArnVariable, secretOf } from './secret-groups.ts';

/**
 * Merges the fetched secrets into one settings source: the `settings` secret first, each
 * group over it. Throws {@link ConfigError} for a secret that is not a JSON object or a
 * setting kept in the wrong secret: a model key in `settings` would reach every function,
 * which is what splitting the secrets prevents, so it is refused rather than used. A key
 * that is no setting is refused too, rather than silently ignored: a typo, or a plaintext
 * `ADMIN_API_KEY` that no function should be able to read.
 */
export function mergeSecretSettings(
  secrets: Partial<Record<SettingsSecret, unknown>>,
): SettingsSource {
  const problems: { setting: string; problem: string }[] = [];
  const merged: SettingsSource = {};
  for (const [secret, value] of Object.entries(secrets) as [SettingsSecret, unknown][]) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({
        setting: secretArnVariable(secret),
        problem: 'must point to a secret holding a JSON object',
      });
      continue;
    }
    for (const [name, setting] of Object.entries(value)) {
      const home = secretOf(name as keyof Settings);
      if (!(name in settingsSchema.shape)) {
        problems.push({ setting: name, problem: `is not a setting (in the ${secret} secret)` });
      } else if (home !== secret) {
        problems.push({ setting: name, problem: `belongs in the ${home} secret, not ${secret}` });
      } else {
        merged[name] = setting;
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return merged;
}
