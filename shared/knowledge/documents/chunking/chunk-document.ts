import { DocumentRejectedError } from '../errors.ts';
import type { ExtractedDocument, PageSpan, SectionSpan } from '../types.ts';
import { assertValidOptions } from './options.ts';
import {
  markdownSpans,
  recursiveSpans,
  type SectionedSpan,
  semanticSpans,
  slidingWindowSpans,
} from './strategies.ts';
import {
  type Chunk,
  type ChunkingOptions,
  type ChunkingStrategy,
  DEFAULT_CHUNKING,
  type Span,
} from './types.ts';

/**
 * Cuts an extracted document into chunks. Sizes are in characters. `auto` is header-aware
 * (`markdown`) for formats with headings (Markdown, HTML, DOCX) when the document has any,
 * and `recursive` otherwise (PDF, plain text). Chunks are trimmed of surrounding
 * whitespace, and each carries its heading path and page range.
 *
 * Work is linear in the text's length: `overlap` is at most half of `size`, so windows
 * advance by at least half a chunk, and spans are produced one at a time, so the chunk cap
 * stops the work as soon as it is passed. A text longer than `maxChunks * (size - overlap)`
 * characters is refused before any span is cut (see {@link assertWithinChunkCap}).
 *
 * @throws DocumentRejectedError `too_many_chunks` when the result would exceed `maxChunks`
 * @throws RangeError for options the request schema refuses (a programmer error here)
 * @example
 * const chunks = chunkDocument(extracted, { strategy: 'semantic', size: 800, overlap: 100 });
 * chunks[0].text === extracted.text.slice(chunks[0].start, chunks[0].end); // always
 */
export function chunkDocument(
  extracted: ExtractedDocument,
  options: ChunkingOptions = DEFAULT_CHUNKING,
  maxChunks = Number.POSITIVE_INFINITY,
): Chunk[] {
  assertValidOptions(options);
  assertWithinChunkCap(extracted.text.length, options, maxChunks);
  const spans = spansFor(extracted, resolveStrategy(extracted, options.strategy), options);
  const chunks: Chunk[] = [];
  for (const span of spans) {
    const trimmed = trim(extracted.text, span);
    if (trimmed.end <= trimmed.start) continue;
    // Trimming can shrink a window into the one before it; it would add nothing.
    const previous = chunks.at(-1);
    if (previous && trimmed.start >= previous.start && trimmed.end <= previous.end) continue;
    if (chunks.length >= maxChunks) throw tooManyChunks(maxChunks);
    chunks.push({
      ordinal: chunks.length,
      text: extracted.text.slice(trimmed.start, trimmed.end),
      start: trimmed.start,
      end: trimmed.end,
      headingPath: span.headingPath ?? headingPathAt(extracted.sections, trimmed.start),
      pageRange: pageRangeOf(extracted.pages, trimmed),
    });
  }
  return chunks;
}

/** The strategy `auto` stands for, given the document. */
export function resolveStrategy(
  extracted: ExtractedDocument,
  strategy: ChunkingStrategy,
): Exclude<ChunkingStrategy, 'auto'> {
  if (strategy !== 'auto') return strategy;
  const hasHeadings = extracted.sections.some((section) => section.headingPath.length > 0);
  return extracted.type !== 'pdf' && extracted.type !== 'text' && hasHeadings
    ? 'markdown'
    : 'recursive';
}

function spansFor(
  extracted: ExtractedDocument,
  strategy: Exclude<ChunkingStrategy, 'auto'>,
  options: ChunkingOptions,
): Iterable<Span & Partial<Pick<SectionedSpan, 'headingPath'>>> {
  const whole = { start: 0, end: extracted.text.length };
  switch (strategy) {
    case 'markdown':
      return markdownSpans(extracted, options);
    case 'recursive':
      return recursiveSpans(extracted.text, whole, options);
    case 'semantic':
      return semanticSpans(extracted.text, whole, options);
    case 'sliding_window':
      return slidingWindowSpans(extracted.text, whole, options);
  }
}

/**
 * Refuses, before any span is cut, a text longer than `maxChunks` windows of fresh text
 * (`size - overlap` characters each) cover. Counting characters, not chunks, is what
 * bounds the work: stretches of whitespace make no chunk but still cost their windows, so
 * a chunk count alone could stay under the cap while the windows ran into the hundreds of
 * thousands. With the default sizes (1200, overlap 200) and 5,000 chunks this is the
 * 5,000,000 characters `DOCUMENT_MAX_CHARACTERS` allows.
 *
 * @throws DocumentRejectedError `too_many_chunks`
 */
export function assertWithinChunkCap(
  length: number,
  { size, overlap }: Pick<ChunkingOptions, 'size' | 'overlap'>,
  maxChunks: number,
): void {
  const longest = maxChunks * (size - overlap);
  if (length <= longest) return;
  throw tooManyChunks(
    maxChunks,
    ` With chunks of ${size} characters overlapping by ${overlap}, a document may be at most ${longest} characters long.`,
  );
}

function tooManyChunks(maxChunks: number, detail = ''): DocumentRejectedError {
  return new DocumentRejectedError(
    'too_many_chunks',
    `The document would make more than the limit of ${maxChunks} chunks.${detail}`,
  );
}

function trim(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start] as string)) start += 1;
  while (end > start && /\s/.test(text[end - 1] as string)) end -= 1;
  return { start, end };
}

/** The path of the last section starting at or before `offset`. */
function headingPathAt(sections: SectionSpan[], offset: number): string[] {
  let low = 0;
  let high = sections.length - 1;
  let found: SectionSpan | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const section = sections[middle] as SectionSpan;
    if (section.start <= offset) {
      found = section;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found && offset < found.end ? found.headingPath : [];
}

function pageRangeOf(pages: PageSpan[], span: Span): Chunk['pageRange'] {
  let from: number | undefined;
  let to: number | undefined;
  for (const page of pages) {
    if (page.end <= span.start || page.start >= span.end || page.end === page.start) continue;
    from ??= page.number;
    to = page.number;
  }
  return from !== undefined && to !== undefined ? { from, to } : null;
}
