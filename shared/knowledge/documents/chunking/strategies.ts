import type { ExtractedDocument, SectionSpan } from '../types.ts';
import { type Piece, packPieces, safeBoundary, splitRecursively } from './pieces.ts';
import type { Span } from './types.ts';

export interface SizeOptions {
  size: number;
  overlap: number;
}

/** Paragraphs, then lines, sentences, words and characters, packed up to `size`. */
export function recursiveSpans(
  text: string,
  range: Span,
  { size, overlap }: SizeOptions,
): Generator<Span> {
  return packPieces(splitRecursively(text, range.start, range.end, size), size, overlap);
}

/** Fixed windows of `size` characters, each starting `overlap` characters before the last one ended. */
export function* slidingWindowSpans(
  text: string,
  range: Span,
  { size, overlap }: SizeOptions,
): Generator<Span> {
  let start = range.start;
  while (start < range.end) {
    const end = safeBoundary(text, Math.min(start + size, range.end), start);
    yield { start, end };
    if (end >= range.end) break;
    let next = Math.max(end - overlap, start + 1);
    // Starting on the second half of a pair would orphan it: include the whole pair.
    if (isLowSurrogate(text.charCodeAt(next))) next = next - 1 > start ? next - 1 : next + 1;
    start = next;
  }
}

const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });
const PARAGRAPH_BREAK = /\n[ \t]*\n\s*/g;

/**
 * Whole sentences (Intl.Segmenter) packed up to `size`, preferring to end a chunk where a
 * paragraph ends; a sentence is cut only when it alone exceeds `size`. Overlap repeats
 * whole sentences.
 */
export function semanticSpans(
  text: string,
  range: Span,
  { size, overlap }: SizeOptions,
): Generator<Span> {
  return packPieces(sentencePieces(text, range, size), size, overlap);
}

/** Each sentence as a piece (cut further when longer than `size`), paragraph starts marked. */
function* sentencePieces(text: string, range: Span, size: number): Generator<Piece> {
  for (const paragraph of paragraphs(text, range)) {
    let firstOfParagraph = true;
    // ICU ends a sentence at every line feed; hard-wrapped lines (PDFs) would each become
    // one. Spaces in their place keep offsets and let sentences run across lines.
    const body = text.slice(paragraph.start, paragraph.end).replaceAll('\n', ' ');
    for (const { index, segment } of sentences.segment(body)) {
      const start = paragraph.start + index;
      // A sentence longer than `size` is always cut into several parts; the first of
      // them starts a chunk.
      const cut = segment.length > size;
      let firstPart = true;
      for (const part of splitRecursively(text, start, start + segment.length, size)) {
        yield { ...part, breakBefore: firstOfParagraph, startsChunk: cut && firstPart };
        firstOfParagraph = false;
        firstPart = false;
      }
    }
  }
}

function* paragraphs(text: string, range: Span): Generator<Span> {
  const body = text.slice(range.start, range.end);
  let from = 0;
  for (const match of body.matchAll(PARAGRAPH_BREAK)) {
    const end = match.index + match[0].length;
    yield { start: range.start + from, end: range.start + end };
    from = end;
  }
  if (from < body.length) yield { start: range.start + from, end: range.end };
}

/** A span with the heading path it was cut under. */
export interface SectionedSpan extends Span {
  headingPath: string[];
}

/**
 * Header-aware: chunks never cross a heading, and each carries the path of the section it
 * was cut from. A section holding only its heading line joins the subsection after it,
 * so headings are not emitted alone. Long sections are split recursively.
 */
export function* markdownSpans(
  extracted: ExtractedDocument,
  options: SizeOptions,
): Generator<SectionedSpan> {
  for (const section of mergeBareHeadings(extracted.text, coveringSections(extracted))) {
    for (const span of recursiveSpans(extracted.text, section, options)) {
      yield { ...span, headingPath: section.headingPath };
    }
  }
}

/** The document's sections with any uncovered stretch of text added under an empty path. */
function coveringSections(extracted: ExtractedDocument): SectionSpan[] {
  const covering: SectionSpan[] = [];
  let covered = 0;
  for (const section of extracted.sections) {
    if (section.start > covered)
      covering.push({ headingPath: [], start: covered, end: section.start });
    covering.push(section);
    covered = section.end;
  }
  if (covered < extracted.text.length) {
    covering.push({ headingPath: [], start: covered, end: extracted.text.length });
  }
  return covering;
}

function mergeBareHeadings(text: string, sections: SectionSpan[]): SectionSpan[] {
  const merged: SectionSpan[] = [];
  let carriedStart: number | undefined;
  sections.forEach((section, index) => {
    const next = sections[index + 1];
    const start = carriedStart ?? section.start;
    carriedStart = undefined;
    const bare = text.slice(section.start, section.end).trim().includes('\n') === false;
    if (bare && next && isPrefix(section.headingPath, next.headingPath)) {
      carriedStart = start;
      return;
    }
    merged.push({ ...section, start });
  });
  return merged;
}

function isPrefix(prefix: string[], path: string[]): boolean {
  return prefix.length < path.length && prefix.every((part, index) => path[index] === part);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
