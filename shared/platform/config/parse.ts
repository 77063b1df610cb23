import type { z } from 'zod';
import { type Config, toConfig } from './config.ts';
import { ConfigError } from './errors.ts';
import { settingsSchema } from './schema.ts';

export type SettingsSource = Record<string, unknown>;

/**
 * Validates raw settings (environment variables, the secret's JSON, or both merged) into
 * a {@link Config}. Throws {@link ConfigError} naming each bad setting without its value.
 */
export function parseConfig(source: SettingsSource): Config {
  const known = Object.fromEntries(
    Object.keys(settingsSchema.shape).map((name) => [name, normalise(source[name])]),
  );
  const parsed = settingsSchema.safeParse(known);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(issue, known)));
  }
  return toConfig(parsed.data);
}

/** An empty value means unset, as `KEY=` lines in `.env.example` intend. */
function normalise(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : String(value);
  return text.trim() === '' ? undefined : text;
}

/** Names the setting; drops zod's message if it would echo any part of the value. */
function describeIssue(
  issue: z.core.$ZodIssue,
  known: Record<string, unknown>,
): { setting: string; problem: string } {
  const setting = String(issue.path[0] ?? 'configuration');
  const value = known[setting];
  const message =
    issue.code === 'invalid_type' && value === undefined ? 'is required' : issue.message;
  const echoesValue = typeof value === 'string' && value.length >= 3 && message.includes(value);
  return { setting, problem: echoesValue ? 'is invalid' : `is invalid: ${message}` };
}
