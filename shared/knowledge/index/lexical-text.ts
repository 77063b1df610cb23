import { tokenize } from './tokenizer.ts';
import type { StoredChunk } from './types.ts';

/**
 * How many times a document's title counts in each of its chunks: a title says what the
 * whole document is about. Measured with `npm run eval:retrieval`: 2 lifts lexical
 * nDCG@10 on the Cystic Fibrosis set from 0.460 to 0.464 and leaves the Constitution set
 * (one title for every passage) as it was; 3 gains 0.002 more but lets a title word
 * outweigh the body's own matches.
 */
export const TITLE_WEIGHT = 2;

/**
 * Names how {@link chunkTerms} and the tokenizer turn text into terms. Stored snapshots
 * hold postings built this way; change it whenever the terms of a text change, so that
 * snapshots made the old way are loaded in full (and rewritten) instead of mixing terms.
 */
export const LEXICAL_ANALYSIS = 'porter-identifiers-title2';

/** The terms BM25 indexes for a chunk: its document's title (twice), its headings and its text. */
export function chunkTerms(title: string, chunk: StoredChunk): string[] {
  const titleTerms = tokenize(title);
  const terms: string[] = [];
  for (let copy = 0; copy < TITLE_WEIGHT; copy += 1) terms.push(...titleTerms);
  for (const term of tokenize(`${chunk.headingPath.join('\n')}\n${chunk.text}`)) terms.push(term);
  return terms;
}
