import { describe, expect, it } from 'vitest';
import { globBase, isGlob, matchesGlob } from '../../cli/ingest/glob.ts';

describe('the CLI glob matcher', () => {
  it('finds where a glob starts', () => {
    expect(globBase('docs/**/*.md')).toEqual({ base: 'docs', rest: '**/*.md' });
    expect(globBase('*.pdf')).toEqual({ base: '.', rest: '*.pdf' });
    expect(globBase('/srv/kb/a?.txt')).toEqual({ base: '/srv/kb', rest: 'a?.txt' });
    expect(isGlob('docs/handbook')).toBe(false);
  });

  it('matches * and ? within a segment and ** across segments', () => {
    expect(matchesGlob('*.md', 'leave.md')).toBe(true);
    expect(matchesGlob('*.md', 'hr/leave.md')).toBe(false);
    expect(matchesGlob('**/*.md', 'leave.md')).toBe(true);
    expect(matchesGlob('**/*.md', 'hr/policies/leave.md')).toBe(true);
    expect(matchesGlob('hr/**/l?ave.md', 'hr/a/b/leave.md')).toBe(true);
    expect(matchesGlob('hr/*/leave.md', 'hr/a/b/leave.md')).toBe(false);
    expect(matchesGlob('*a*b*c', 'xxaxxbxxc')).toBe(true);
    expect(matchesGlob('*a*b*c', 'xxaxxbxxd')).toBe(false);
  });

  it('stays fast on patterns that make backtracking matchers slow', () => {
    const started = performance.now();
    expect(matchesGlob(`${'*a'.repeat(20)}b`, 'a'.repeat(2000))).toBe(false);
    expect(
      matchesGlob('**/**/**/**/**/**/x', Array.from({ length: 12 }, () => 'd').join('/')),
    ).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
