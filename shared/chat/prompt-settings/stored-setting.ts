import * as z from 'zod';
import { DEFAULT_PROMPT_TEXTS } from './defaults.ts';
import type { PromptSettingKind, PromptSettingView } from './kinds.ts';

/** One hash field's value: the text and when it was set. */
const storedSettingSchema = z.object({
  text: z.string().min(1),
  updatedAt: z.string().min(1),
});

/** The hash field's value for a text set at `updatedAt`. */
export function encodeSetting(text: string, updatedAt: Date): string {
  return JSON.stringify({ text, updatedAt: updatedAt.toISOString() });
}

/**
 * What one hash field holds, as the view an answer or a chat turn uses. A missing field
 * is the default. So is a value that does not parse: only this module writes the field,
 * so that means a hand edit, and a bad value must not stop every chat turn of the tenant;
 * the next `PUT` overwrites it. The value may come as stored (a JSON string) or already
 * parsed, by a client created with automatic deserialization.
 */
export function decodeSetting(kind: PromptSettingKind, value: unknown): PromptSettingView {
  const stored = storedSettingSchema.safeParse(
    typeof value === 'string' ? parseJson(value) : value,
  );
  return stored.success
    ? { text: stored.data.text, source: 'tenant', updatedAt: stored.data.updatedAt }
    : { text: DEFAULT_PROMPT_TEXTS[kind], source: 'default', updatedAt: null };
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
