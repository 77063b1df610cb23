import type { Citation, Passage } from '../http/types.ts';

/** `p. 3` or `pp. 3-5`; empty when the source has no pages. */
function formatPages(range: Passage['pageRange']): string {
  if (!range) return '';
  return range.from === range.to ? `p. ${range.from}` : `pp. ${range.from}-${range.to}`;
}

/** `Title · source › Heading › Sub · p. 3`. */
export function formatWhere(item: Passage): string {
  const place = [item.source, ...item.headingPath].join(' › ');
  return [item.title, place, formatPages(item.pageRange)].filter(Boolean).join(' · ');
}

/** One line per cited passage, under an answer. */
export function formatCitationsCompact(citations: Citation[]): string {
  return citations.map((citation) => `  [${citation.n}] ${formatWhere(citation)}`).join('\n');
}

/** Every passage the answer could draw on, with its whole snippet; cited ones marked. */
export function formatPassagesFull(passages: Citation[], cited: Citation[]): string {
  const citedNumbers = new Set(cited.map((citation) => citation.n));
  return passages
    .map((passage) => {
      const mark = citedNumbers.has(passage.n) ? ' (cited)' : '';
      return `[${passage.n}]${mark} ${formatWhere(passage)}  score ${passage.score.toFixed(3)}\n${indent(passage.snippet)}`;
    })
    .join('\n\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
