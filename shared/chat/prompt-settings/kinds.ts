import * as z from 'zod';

/** The two texts a tenant may set: who the assistant is, and the rules it answers by. */
export type PromptSettingKind = 'persona' | 'instructions';

/** Every kind, in the order the store reads them. */
export const PROMPT_SETTING_KINDS: readonly PromptSettingKind[] = ['persona', 'instructions'];

/**
 * Most characters per kind. A persona is a few sentences; instructions are rules and may
 * run longer. Both go into every chat turn's prompt, so the caps also bound what a
 * tenant can spend of the model's context on them.
 */
export const PROMPT_SETTING_MAX_CHARS: Readonly<Record<PromptSettingKind, number>> = {
  persona: 4000,
  instructions: 8000,
};

/** Where a text in effect comes from: the tenant's own, or the platform's default. */
export type PromptSettingSource = 'tenant' | 'default';

/** A persona or instructions as an API answer shows it. */
export interface PromptSettingView {
  text: string;
  source: PromptSettingSource;
  /** When the tenant last set it (ISO 8601); `null` for the default. */
  updatedAt: string | null;
}

/** The text of a `PUT`: trimmed, then 1 to the kind's maximum characters. */
export function promptTextSchema(kind: PromptSettingKind) {
  const max = PROMPT_SETTING_MAX_CHARS[kind];
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .describe(`The ${kind} text (1-${max} characters after trimming)`);
}
