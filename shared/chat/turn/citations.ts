import type { Citation } from '../conversations/types.ts';
import { CITATION_MARK } from '../model/citation-marks.ts';
import type { Passage } from '../model/context.ts';

/**
 * The passages an answer cites, in order of first use. Numbers the prompt never gave
 * (the model invented them) are dropped; each passage appears once.
 */
export function citedPassages(answer: string, passages: readonly Passage[]): Citation[] {
  const byNumber = new Map(passages.map((passage) => [passage.n, passage]));
  const cited = new Map<number, Citation>();
  for (const match of answer.matchAll(CITATION_MARK)) {
    for (const part of (match[1] ?? '').split(',')) {
      const passage = byNumber.get(Number(part.trim()));
      if (passage && !cited.has(passage.n)) cited.set(passage.n, toCitation(passage));
    }
  }
  return [...cited.values()];
}

/** What a citation shows of a passage: everything but its full text. */
export function toCitation({ text: _text, ...citation }: Passage): Citation {
  return citation;
}
