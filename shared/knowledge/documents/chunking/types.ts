/** How a document's text is cut into chunks; see `chunkDocument`. */
export type ChunkingStrategy = 'auto' | 'recursive' | 'semantic' | 'markdown' | 'sliding_window';

export const CHUNKING_STRATEGIES = [
  'auto',
  'recursive',
  'semantic',
  'markdown',
  'sliding_window',
] as const satisfies readonly ChunkingStrategy[];

/** Sizes are in characters (UTF-16 code units of the extracted text), as in the MVP. */
export interface ChunkingOptions {
  strategy: ChunkingStrategy;
  /** Largest chunk, in characters. */
  size: number;
  /** Characters a chunk may repeat from the end of the one before it; at most half of `size`. */
  overlap: number;
}

export const DEFAULT_CHUNKING: ChunkingOptions = { strategy: 'auto', size: 1200, overlap: 200 };

/** A `[start, end)` range of the extracted text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * One chunk of a document. `text === extracted.text.slice(start, end)` always holds, so a
 * citation can point back to the exact place; `pageRange` is null for formats without pages.
 */
export interface Chunk {
  ordinal: number;
  text: string;
  start: number;
  end: number;
  headingPath: string[];
  pageRange: { from: number; to: number } | null;
}
