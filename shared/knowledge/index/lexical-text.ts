import { tokenize } from './tokenizer.ts';
import type { StoredChunk } from './types.ts';

/** The terms BM25 indexes for a chunk: its document's title, its headings and its text. */
export function chunkTerms(title: string, chunk: StoredChunk): string[] {
  return tokenize(`${title}\n${chunk.headingPath.join('\n')}\n${chunk.text}`);
}
