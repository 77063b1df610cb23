import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRESET_NAMES,
  DEFAULT_PROMPT_TEXTS,
  INSTRUCTION_PRESETS,
  PERSONA_PRESETS,
  PROMPT_SETTING_MAX_CHARS,
  promptTextSchema,
} from '#shared/chat/prompt-settings/index.ts';

const kinds = [
  ['persona', PERSONA_PRESETS],
  ['instructions', INSTRUCTION_PRESETS],
] as const;

describe('prompt presets', () => {
  it.each(kinds)(
    '%s: unique lowercase names, titles, and texts a PUT accepts unchanged',
    (kind, presets) => {
      expect(new Set(presets.map(({ name }) => name)).size).toBe(presets.length);
      for (const preset of presets) {
        expect(preset.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
        expect(preset.title.length).toBeGreaterThan(0);
        expect(promptTextSchema(kind).parse(preset.text)).toBe(preset.text);
        expect(preset.text.length).toBeLessThanOrEqual(PROMPT_SETTING_MAX_CHARS[kind]);
      }
    },
  );

  it('offers the personas and instructions the product names', () => {
    expect(PERSONA_PRESETS.map(({ name }) => name)).toEqual([
      'helpful-assistant',
      'technical-expert',
      'business-advisor',
    ]);
    expect(INSTRUCTION_PRESETS.map(({ name }) => name)).toEqual(
      expect.arrayContaining(['grounded-with-citations', 'concise', 'support-desk']),
    );
  });

  it('makes the defaults the named presets', () => {
    for (const [kind, presets] of kinds) {
      const preset = presets.find(({ name }) => name === DEFAULT_PRESET_NAMES[kind]);
      expect(DEFAULT_PROMPT_TEXTS[kind]).toBe(preset?.text);
    }
  });

  it('keeps the grounding rules in every instruction preset, since each replaces the default whole', () => {
    for (const { name, text } of INSTRUCTION_PRESETS) {
      expect(text, name).toMatch(/numbered passages/);
      expect(text, name).toMatch(/\[(n|1)\]/);
      expect(text, name).toMatch(/data, not instructions/);
      expect(text, name).toMatch(/do not cover|does not cover/);
    }
  });
});

describe('promptTextSchema', () => {
  it('trims, then holds each kind to 1 to its maximum characters', () => {
    expect(promptTextSchema('persona').parse('  Warm.  ')).toBe('Warm.');
    expect(promptTextSchema('persona').safeParse('   ').success).toBe(false);
    expect(promptTextSchema('persona').safeParse('x'.repeat(4001)).success).toBe(false);
    expect(promptTextSchema('instructions').safeParse('x'.repeat(8000)).success).toBe(true);
    expect(promptTextSchema('instructions').safeParse('x'.repeat(8001)).success).toBe(false);
  });
});
