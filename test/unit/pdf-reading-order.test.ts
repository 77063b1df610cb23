import { describe, expect, test } from 'vitest';
import {
  type PdfTextItem,
  readingOrderText,
} from '#shared/knowledge/documents/extractors/pdf-text-order.ts';

/** A pdf.js text item at `x` on a horizontal line, 6 units a character wide. */
function run(str: string, x: number, hasEOL = false, matrix = [12, 0, 0, 12]): PdfTextItem {
  return { str, hasEOL, transform: [...matrix, x, 700], width: 6 * str.length, height: 12 };
}

describe('readingOrderText', () => {
  test('joins left-to-right items as they come, one line per hasEOL', () => {
    // Act
    const text = readingOrderText([run('Hello', 0), run(' world', 30, true), run('Next', 0)]);

    // Assess
    expect(text).toBe('Hello world\nNext');
  });

  test('reads a right-to-left line from its rightmost run, without doubling a space pdf.js added', () => {
    // Prepare: pdf.js's runs hold logical text; the space item sits between them.
    const items = [run('עולם', 0), run(' ', 24), run('שלום', 60)];

    // Act
    const text = readingOrderText(items);

    // Assess
    expect(text).toBe('שלום עולם');
  });

  test('adds the space a backward jump between two right-to-left runs hides', () => {
    // Act
    const text = readingOrderText([run('שלום', 60), run('עולם', 0)]);

    // Assess
    expect(text).toBe('שלום עולם');
  });

  test("ends a right-to-left line at pdf.js's empty line-end item, wherever it sits", () => {
    // Act
    const text = readingOrderText([
      run('עולם', 0),
      run('שלום', 30),
      run('', 0, true),
      run('סוף', 0),
    ]);

    // Assess
    expect(text).toBe('שלום עולם\nסוף');
  });

  test('leaves touching runs together and rotated lines in drawing order', () => {
    // Act
    const touching = readingOrderText([run('ש', 18), run('לום', 0)]);
    const rotated = readingOrderText([
      run('עולם', 0, false, [0, 12, -12, 0]),
      run('שלום', 60, false, [0, 12, -12, 0]),
    ]);

    // Assess
    expect(touching).toBe('שלום');
    expect(rotated).toBe('עולםשלום');
  });
});
