import { tokenize } from './tokenizer.ts';

const SENTENCE = /[^.!?\n]+(?:[.!?]+|\n|$)/g;

/**
 * A short extract of `text` for a citation: the sentence sharing the most terms with the
 * query (the first one if none does), widened with its neighbours up to `maxLength`
 * characters, with an ellipsis where text was cut.
 */
export function makeSnippet(
  text: string,
  queryTerms: ReadonlySet<string>,
  maxLength = 240,
): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= maxLength) return clean;
  const sentences = [...clean.matchAll(SENTENCE)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
  }));
  let best = sentences[0] ?? { start: 0, end: clean.length };
  // Tokenising is most of the cost, and only needed when there is a sentence to choose.
  if (sentences.length > 1 && queryTerms.size > 0) {
    let bestHits = 0;
    for (const sentence of sentences) {
      const terms = tokenize(clean.slice(sentence.start, sentence.end));
      const hits = terms.filter((term) => queryTerms.has(term)).length;
      if (hits > bestHits) {
        best = sentence;
        bestHits = hits;
      }
    }
  }
  let start = best.start;
  let end = Math.min(best.end, start + maxLength);
  // Widen with the text around the sentence, mostly after it.
  const spare = maxLength - (end - start);
  if (spare > 0) {
    start = Math.max(0, start - Math.floor(spare / 3));
    end = Math.min(clean.length, start + maxLength);
  }
  start = wordBoundary(clean, start, -1);
  end = wordBoundary(clean, end, 1);
  const body = clean.slice(start, end).trim();
  return `${start > 0 ? '…' : ''}${body}${end < clean.length ? '…' : ''}`;
}

function wordBoundary(text: string, index: number, direction: -1 | 1): number {
  if (index <= 0 || index >= text.length) return index;
  const space = direction < 0 ? text.indexOf(' ', index) : text.lastIndexOf(' ', index);
  if (space < 0 || Math.abs(space - index) > 30) return index;
  return direction < 0 ? space + 1 : space;
}
