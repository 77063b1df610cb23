import { normalizeText } from '../text-decoding.ts';
import { CharacterBudget } from './character-budget.ts';

/**
 * Accumulates visible text the way a browser lays it out: runs of whitespace collapse to
 * one space, block boundaries become blank lines, and nothing dangles at either end.
 * Separators are held back until real text follows, so offsets returned by the append
 * methods point at the first visible character.
 */
export class TextBuilder {
  readonly #parts: string[] = [];
  readonly #budget: CharacterBudget;
  #length = 0;
  #pendingBreak = 0;
  #pendingSpace = false;

  constructor(maxCharacters: number) {
    this.#budget = new CharacterBudget(maxCharacters);
  }

  get length(): number {
    return this.#length;
  }

  /** Ends the current line (1) or paragraph (2) once more text arrives. */
  requestBreak(lines: 1 | 2): void {
    if (this.#length > 0) this.#pendingBreak = Math.max(this.#pendingBreak, lines);
  }

  requestSpace(): void {
    if (this.#length > 0) this.#pendingSpace = true;
  }

  /** Appends flowing text; returns the offset of its first visible character, if any. */
  appendFlowing(raw: string): number | undefined {
    const collapsed = normalizeText(raw).replace(/\s+/g, ' ');
    const visible = collapsed.trim();
    if (collapsed.startsWith(' ')) this.requestSpace();
    if (visible === '') return undefined;
    const start = this.#push(visible);
    if (collapsed.endsWith(' ')) this.requestSpace();
    return start;
  }

  /** Appends preformatted text as is (only line ends normalised). */
  appendPreformatted(raw: string): number | undefined {
    const text = normalizeText(raw);
    if (text.trim() === '') return undefined;
    return this.#push(text);
  }

  toString(): string {
    return this.#parts.join('').trimEnd();
  }

  #push(text: string): number {
    const separator =
      this.#pendingBreak > 0 ? '\n'.repeat(this.#pendingBreak) : this.#pendingSpace ? ' ' : '';
    this.#pendingBreak = 0;
    this.#pendingSpace = false;
    this.#budget.spend(separator.length + text.length);
    if (separator !== '') this.#parts.push(separator);
    const start = this.#length + separator.length;
    this.#parts.push(text);
    this.#length = start + text.length;
    return start;
  }
}
