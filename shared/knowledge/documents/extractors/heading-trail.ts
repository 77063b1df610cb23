import type { SectionSpan } from '../types.ts';

/**
 * Builds sections from headings met in document order: each heading closes the section
 * before it and opens one whose path is the enclosing headings plus itself. Text before
 * the first heading forms a section with an empty path.
 */
export class HeadingTrail {
  readonly #textLength: number;
  readonly #open: { level: number; text: string }[] = [];
  readonly #sections: SectionSpan[] = [];

  constructor(textLength: number) {
    this.#textLength = textLength;
  }

  enter(level: number, text: string, start: number): void {
    const previous = this.#sections.at(-1);
    if (previous) previous.end = start;
    else if (start > 0) this.#sections.push({ headingPath: [], start: 0, end: start });
    while ((this.#open.at(-1)?.level ?? 0) >= level) this.#open.pop();
    this.#open.push({ level, text });
    this.#sections.push({
      headingPath: this.#open.map((heading) => heading.text),
      start,
      end: this.#textLength,
    });
  }

  sections(): SectionSpan[] {
    return this.#sections.filter((section) => section.end > section.start);
  }
}
