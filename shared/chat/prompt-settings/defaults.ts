import type { PromptSettingKind } from './kinds.ts';
import { INSTRUCTION_PRESETS, PERSONA_PRESETS, type PromptPreset } from './presets.ts';

/** The preset in effect for a tenant that has set nothing of that kind. */
export const DEFAULT_PRESET_NAMES: Readonly<Record<PromptSettingKind, string>> = {
  persona: 'helpful-assistant',
  instructions: 'grounded-with-citations',
};

const presetsOf: Readonly<Record<PromptSettingKind, readonly PromptPreset[]>> = {
  persona: PERSONA_PRESETS,
  instructions: INSTRUCTION_PRESETS,
};

function defaultText(kind: PromptSettingKind): string {
  const preset = presetsOf[kind].find(({ name }) => name === DEFAULT_PRESET_NAMES[kind]);
  // A renamed preset must fail at module load, not silently leave the prompt empty.
  if (!preset) throw new Error(`No ${kind} preset named "${DEFAULT_PRESET_NAMES[kind]}"`);
  return preset.text;
}

/** The text each kind has when the tenant has set none (or has reset it). */
export const DEFAULT_PROMPT_TEXTS: Readonly<Record<PromptSettingKind, string>> = {
  persona: defaultText('persona'),
  instructions: defaultText('instructions'),
};
