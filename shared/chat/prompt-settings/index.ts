export { DEFAULT_PRESET_NAMES, DEFAULT_PROMPT_TEXTS } from './defaults.ts';
export {
  PROMPT_SETTING_KINDS,
  PROMPT_SETTING_MAX_CHARS,
  type PromptSettingKind,
  type PromptSettingSource,
  type PromptSettingView,
  promptTextSchema,
} from './kinds.ts';
export {
  INSTRUCTION_PRESETS,
  listPromptPresets,
  PERSONA_PRESETS,
  type PromptPreset,
} from './presets.ts';
export {
  PROMPT_SETTINGS_READ_COMMANDS,
  type PromptSettings,
  queuePromptSettingsRead,
} from './read-settings.ts';
export { readPromptSetting, resetPromptSetting, writePromptSetting } from './store.ts';
