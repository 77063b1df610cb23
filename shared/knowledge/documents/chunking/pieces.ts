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
 * going finer where a piece is still too long. Pieces are produced one at a time, so a
 * caller that stops early (a chunk cap) never pays for the rest of the text.
 */
export function* splitRecursively(
  text: string,
  start: number,
  end: number,
  size: number,
): Generator<Span> {
  yield* splitAt(text, { start, end }, size, 0);
}

function* splitAt(text: string, range: Span, size: number, level: number): Generator<Span> {
  if (range.end - range.start <= size) {
    yield range;
    return;
  }
  for (let index = level; index < SEPARATORS.length; index += 1) {
    const separator = SEPARATORS[index] ?? '';
    const parts =
      separator === '' ? cutEvery(text, range, size) : splitKeeping(text, range, separator);
    const first = parts.next();
    // One part is the whole range: this separator does not occur in it.
    if (first.done || first.value.end >= range.end) continue;
    for (let part: IteratorResult<Span> = first; !part.done; part = parts.next()) {
      const { value } = part;
      if (value.end - value.start <= size) yield value;
      else yield* splitAt(text, value, size, index + 1);
    }
    return;
  }
  yield range;
}

function* splitKeeping(text: string, range: Span, separator: string): Generator<Span> {
  // Searching a slice keeps each call proportional to its own range, not the whole text.
  const slice = text.slice(range.start, range.end);
  let from = 0;
  for (
    let found = slice.indexOf(separator);
    found >= 0 && found + separator.length < slice.length;
    found = slice.indexOf(separator, from)
  ) {
    yield { start: range.start + from, end: range.start + found + separator.length };
    from = found + separator.length;
  }
  yield { start: range.start + from, end: range.end };
}

/** Fixed-length cuts that never separate the two halves of a surrogate pair. */
export function* cutEvery(text: string, range: Span, size: number): Generator<Span> {
  let from = range.start;
  while (from < range.end) {
    const to = safeBoundary(text, Math.min(from + size, range.end), from);
    yield { start: from, end: to };
    from = to;
  }
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
 *
 * Pieces are pulled as needed and dropped once behind the current chunk, so memory stays
 * within about one chunk's worth of pieces and a caller can stop at any chunk.
 */
export function* packPieces(
  source: Iterable<Piece>,
  size: number,
  overlap: number,
): Generator<Span> {
  const pieces = new PieceWindow(source);
  let first = 0;
  for (let firstPiece = pieces.at(first); firstPiece; firstPiece = pieces.at(first)) {
    const start = firstPiece.start;
    let end = firstPiece.end;
    let next = first + 1;
    for (let piece = pieces.at(next); piece; piece = pieces.at(next)) {
      if (piece.end - start > size || piece.startsChunk) break;
      if (piece.breakBefore && end - start >= size / 2 && pieces.runEndsAfter(next, start + size))
        break;
      end = piece.end;
      next += 1;
    }
    yield { start, end };
    const following = pieces.at(next);
    if (!following) return;
    let resume = next;
    while (resume - 1 > first) {
      const candidate = (pieces.at(resume - 1) as Piece).start;
      if (end - candidate > overlap || following.end - candidate > size) break;
      resume -= 1;
    }
    first = resume;
    pieces.dropBefore(first);
  }
}

/** Random access to a stream of pieces, by index, over the part not yet dropped. */
class PieceWindow {
  readonly #source: Iterator<Piece>;
  #buffer: Piece[] = [];
  /** Index of `#buffer[0]` in the stream. */
  #offset = 0;
  #exhausted = false;

  constructor(source: Iterable<Piece>) {
    this.#source = source[Symbol.iterator]();
  }

  at(index: number): Piece | undefined {
    while (!this.#exhausted && index - this.#offset >= this.#buffer.length) {
      const next = this.#source.next();
      if (next.done) this.#exhausted = true;
      else this.#buffer.push(next.value);
    }
    return this.#buffer[index - this.#offset];
  }

  /**
   * Whether the run starting at piece `index` (up to the next piece marked `breakBefore`)
   * ends after `limit`. Looks ahead no further than `limit`.
   */
  runEndsAfter(index: number, limit: number): boolean {
    for (let at = index; ; at += 1) {
      const piece = this.at(at) as Piece;
      if (piece.end > limit) return true;
      const after = this.at(at + 1);
      if (!after || after.breakBefore) return false;
    }
  }

  dropBefore(index: number): void {
    this.#buffer = this.#buffer.slice(index - this.#offset);
    this.#offset = index;
  }
}
