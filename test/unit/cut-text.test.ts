import { describe, expect, it } from 'vitest';
import { cutText } from '#shared/platform/validation/cut-text.ts';

describe('cutText', () => {
  it('leaves short text as it is and cuts long text with an ellipsis within the limit', () => {
    expect(cutText('short', 10)).toBe('short');
    expect(cutText('abcdefghij', 5)).toBe('abcd…');
    expect(cutText('abcdefghij', 5).length).toBeLessThanOrEqual(5);
  });

  it('never leaves half of a surrogate pair', () => {
    const text = `abc${'😀'.repeat(5)}`;
    for (let max = 2; max < text.length; max += 1) {
      const cut = cutText(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut.isWellFormed()).toBe(true);
    }
  });
});
