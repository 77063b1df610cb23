import type { Span } from './types.ts';

/** Separators tried in order, from paragraphs down to single characters (`''`). */
const SEPARATORS = ['\n\n', '\n', '. ', '? ', '! ', '; ', ', ', ' ', ''] as const;

/**
 * A piece to pack into chunks: `breakBefore` marks a preferred place to start a new chunk,
 * `startsChunk` a place where one always starts.
 */
export interface Piece extends Span {
  breakBefore?: boolean;
  startsChunk?: boolean;
}

/**
 * Cuts `[start, end)` into contiguous pieces of at most `size` characters, splitting at
 * the coarsest separator that occurs (each piece keeps its trailing separator) and only
 * going finer where a piece is still too long.
 */
export function splitRecursively(text: string, start: number, end: number, size: number): Span[] {
  return splitAt(text, { start, end }, size, 0);
}

function splitAt(text: string, range: Span, size: number, level: number): Span[] {
  if (range.end - range.start <= size) return [range];
  for (let index = level; index < SEPARATORS.length; index += 1) {
    const separator = SEPARATORS[index] ?? '';
    const parts =
      separator === '' ? cutEvery(text, range, size) : splitKeeping(text, range, separator);
    if (parts.length < 2) continue;
    return parts.flatMap((part) =>
      part.end - part.start <= size ? [part] : splitAt(text, part, size, index + 1),
    );
  }
  return [range];
}

function splitKeeping(text: string, range: Span, separator: string): Span[] {
  // Searching a slice keeps each call proportional to its own range, not the whole text.
  const slice = text.slice(range.start, range.end);
  const parts: Span[] = [];
  let from = 0;
  for (
    let found = slice.indexOf(separator);
    found >= 0 && found + separator.length < slice.length;
    found = slice.indexOf(separator, from)
  ) {
    parts.push({ start: range.start + from, end: range.start + found + separator.length });
    from = found + separator.length;
  }
  parts.push({ start: range.start + from, end: range.end });
  return parts;
}

/** Fixed-length cuts that never separate the two halves of a surrogate pair. */
export function cutEvery(text: string, range: Span, size: number): Span[] {
  const parts: Span[] = [];
  let from = range.start;
  while (from < range.end) {
    const to = safeBoundary(text, Math.min(from + size, range.end), from);
    parts.push({ start: from, end: to });
    from = to;
  }
  return parts;
}

/** Moves a cut back by one if it would fall inside a surrogate pair (never to `floor`). */
export function safeBoundary(text: string, at: number, floor: number): number {
  const before = text.charCodeAt(at - 1);
  return at < text.length && at - 1 > floor && before >= 0xd800 && before <= 0xdbff ? at - 1 : at;
}

/**
 * Packs contiguous pieces into chunks of at most `size` characters. Each chunk after the
 * first starts with whole trailing pieces of the previous one, up to `overlap`
 * characters. A piece marked `breakBefore` starts a new chunk when the current one is at
 * least half full and the run up to the next marked piece would not fit; one marked
 * `startsChunk` always does.
 */
export function packPieces(pieces: Piece[], size: number, overlap: number): Span[] {
  const runEnds = runEndsOf(pieces);
  const chunks: Span[] = [];
  let first = 0;
  while (first < pieces.length) {
    const start = (pieces[first] as Piece).start;
    let end = (pieces[first] as Piece).end;
    let next = first + 1;
    for (; next < pieces.length; next += 1) {
      const piece = pieces[next] as Piece;
      if (piece.end - start > size || piece.startsChunk) break;
      const runEnd = runEnds[next] ?? piece.end;
      if (piece.breakBefore && end - start >= size / 2 && runEnd - start > size) break;
      end = piece.end;
    }
    chunks.push({ start, end });
    if (next >= pieces.length) break;
    const following = pieces[next] as Piece;
    let resume = next;
    while (resume - 1 > first) {
      const candidate = (pieces[resume - 1] as Piece).start;
      if (end - candidate > overlap || following.end - candidate > size) break;
      resume -= 1;
    }
    first = resume;
  }
  return chunks;
}

/** For each piece, the end of its run: up to the next piece marked `breakBefore`. */
function runEndsOf(pieces: Piece[]): number[] {
  const ends = new Array<number>(pieces.length);
  for (let index = pieces.length - 1; index >= 0; index -= 1) {
    const piece = pieces[index] as Piece;
    const nextPiece = pieces[index + 1];
    ends[index] =
      nextPiece === undefined || nextPiece.breakBefore ? piece.end : (ends[index + 1] as number);
  }
  return ends;
}
