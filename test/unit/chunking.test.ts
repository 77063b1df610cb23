import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  chunkDocument,
  resolveStrategy,
} from '#shared/knowledge/documents/chunking/chunk-document.ts';
import {
  type Piece,
  packPieces,
  splitRecursively,
} from '#shared/knowledge/documents/chunking/pieces.ts';
import { CHUNKING_STRATEGIES, type Chunk } from '#shared/knowledge/documents/chunking/types.ts';
import { DocumentRejectedError } from '#shared/knowledge/documents/errors.ts';
import { extractMarkdown } from '#shared/knowledge/documents/extractors/markdown.ts';
import type { ExtractedDocument } from '#shared/knowledge/documents/types.ts';

function textDocument(text: string, overrides: Partial<ExtractedDocument> = {}): ExtractedDocument {
  return {
    type: 'text',
    title: undefined,
    metadata: {},
    text,
    pages: [],
    sections: [],
    ...overrides,
  };
}

const texts = (chunks: Chunk[]) => chunks.map((chunk) => chunk.text);

describe('recursive', () => {
  test('packs whole paragraphs while they fit and splits a long one at sentences', () => {
    // Prepare
    const text =
      'Alpha one.\n\nBeta two.\n\nGamma is a much longer paragraph. It has two sentences.';

    // Act
    const chunks = chunkDocument(textDocument(text), {
      strategy: 'recursive',
      size: 40,
      overlap: 0,
    });

    // Assess
    expect(texts(chunks)).toEqual([
      'Alpha one.\n\nBeta two.',
      'Gamma is a much longer paragraph.',
      'It has two sentences.',
    ]);
  });

  test('starts each chunk with whole pieces of the one before, up to the overlap (spaces count)', () => {
    // Prepare
    const text = 'one two three four five six seven eight nine ten';

    // Act
    const chunks = chunkDocument(textDocument(text), {
      strategy: 'recursive',
      size: 20,
      overlap: 10,
    });

    // Assess
    expect(texts(chunks)).toEqual([
      'one two three four',
      'four five six seven',
      'six seven eight',
      'eight nine ten',
    ]);
  });

  test('cuts a run without separators into pieces of the chunk size', () => {
    const chunks = chunkDocument(textDocument('x'.repeat(25)), {
      strategy: 'recursive',
      size: 10,
      overlap: 0,
    });
    expect(texts(chunks)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});

describe('semantic', () => {
  test('never cuts inside a sentence and prefers to end chunks at paragraph ends', () => {
    // Prepare
    const text =
      'First point is here. Second point follows.\n\nNew topic starts. It goes on a little.';

    // Act
    const chunks = chunkDocument(textDocument(text), {
      strategy: 'semantic',
      size: 60,
      overlap: 0,
    });

    // Assess
    expect(texts(chunks)).toEqual([
      'First point is here. Second point follows.',
      'New topic starts. It goes on a little.',
    ]);
  });

  test('lets a sentence run across hard-wrapped lines', () => {
    // Prepare
    const text = 'Alpha beta gamma\ndelta. Epsilon zeta\neta theta.';

    // Act
    const chunks = chunkDocument(textDocument(text), {
      strategy: 'semantic',
      size: 40,
      overlap: 0,
    });

    // Assess
    expect(texts(chunks)).toEqual(['Alpha beta gamma\ndelta.', 'Epsilon zeta\neta theta.']);
  });

  test('overlaps by whole sentences only', () => {
    // Prepare
    const text = 'Aa aa. Bb bb. Cc cc. Dd dd. Ee ee.';

    // Act
    const chunks = chunkDocument(textDocument(text), {
      strategy: 'semantic',
      size: 14,
      overlap: 7,
    });

    // Assess
    expect(texts(chunks)).toEqual([
      'Aa aa. Bb bb.',
      'Bb bb. Cc cc.',
      'Cc cc. Dd dd.',
      'Dd dd. Ee ee.',
    ]);
  });

  test('splits a sentence only when it alone exceeds the size', () => {
    // Prepare
    const long = `Every${' word'.repeat(12)}.`;

    // Act
    const chunks = chunkDocument(textDocument(`Short one. ${long}`), {
      strategy: 'semantic',
      size: 30,
      overlap: 0,
    });

    // Assess
    expect(chunks[0]?.text).toBe('Short one.');
    expect(chunks.slice(1).every((chunk) => chunk.text.length <= 30)).toBe(true);
    expect(
      chunks
        .slice(1)
        .map((chunk) => chunk.text)
        .join(' '),
    ).toBe(long);
  });
});

describe('markdown', () => {
  const source = [
    '# Guide',
    '',
    '## Install',
    '',
    'Run the installer. Then restart.',
    '',
    '## Use',
    '',
    'Open the app.',
    '',
  ].join('\n');

  test('never crosses a heading; a bare heading joins its first subsection', () => {
    // Act
    const chunks = chunkDocument(extractMarkdown(source), {
      strategy: 'markdown',
      size: 1200,
      overlap: 200,
    });

    // Assess
    expect(chunks.map(({ text, headingPath }) => ({ text, headingPath }))).toEqual([
      {
        text: '# Guide\n\n## Install\n\nRun the installer. Then restart.',
        headingPath: ['Guide', 'Install'],
      },
      { text: '## Use\n\nOpen the app.', headingPath: ['Guide', 'Use'] },
    ]);
  });

  test('splits a long section and keeps its path on every part', () => {
    // Act
    const chunks = chunkDocument(extractMarkdown(source), {
      strategy: 'markdown',
      size: 25,
      overlap: 0,
    });

    // Assess
    expect(chunks.map(({ text, headingPath }) => [text, headingPath.join(' > ')])).toEqual([
      ['# Guide\n\n## Install', 'Guide > Install'],
      ['Run the installer.', 'Guide > Install'],
      ['Then restart.', 'Guide > Install'],
      ['## Use\n\nOpen the app.', 'Guide > Use'],
    ]);
  });
});

describe('sliding_window', () => {
  test('moves a fixed window by size minus overlap', () => {
    const chunks = chunkDocument(textDocument('abcdefghij'), {
      strategy: 'sliding_window',
      size: 4,
      overlap: 1,
    });
    expect(chunks.map(({ text, start, end }) => [text, start, end])).toEqual([
      ['abcd', 0, 4],
      ['defg', 3, 7],
      ['ghij', 6, 10],
    ]);
  });

  test('does not split a surrogate pair', () => {
    const chunks = chunkDocument(textDocument('ab🌍cd🌍'), {
      strategy: 'sliding_window',
      size: 3,
      overlap: 0,
    });
    expect(texts(chunks)).toEqual(['ab', '🌍c', 'd🌍']);
    expect(
      texts(
        chunkDocument(textDocument('a🌍🌍b'), { strategy: 'sliding_window', size: 3, overlap: 1 }),
      ),
    ).toEqual(['a🌍', '🌍b']);
  });
});

describe('chunk metadata and limits', () => {
  test('auto is header-aware for documents with headings and recursive otherwise', () => {
    expect(resolveStrategy(extractMarkdown('# A\n\ntext'), 'auto')).toBe('markdown');
    expect(resolveStrategy(extractMarkdown('no headings'), 'auto')).toBe('recursive');
    expect(resolveStrategy(textDocument('x', { type: 'pdf' }), 'auto')).toBe('recursive');
    expect(resolveStrategy(textDocument('x'), 'semantic')).toBe('semantic');
  });

  test('gives each chunk the pages it spans and the section it starts in', () => {
    // Prepare
    const text = 'Page one text.\n\nPage two text.\n\nPage three.';
    const extracted = textDocument(text, {
      type: 'pdf',
      pages: [
        { number: 1, start: 0, end: 14 },
        { number: 2, start: 16, end: 30 },
        { number: 3, start: 32, end: 43 },
      ],
      sections: [{ headingPath: ['Intro'], start: 0, end: 43 }],
    });

    // Act
    const chunks = chunkDocument(extracted, { strategy: 'sliding_window', size: 20, overlap: 0 });

    // Assess
    expect(chunks.map(({ pageRange, headingPath }) => ({ pageRange, headingPath }))).toEqual([
      { pageRange: { from: 1, to: 2 }, headingPath: ['Intro'] },
      { pageRange: { from: 2, to: 3 }, headingPath: ['Intro'] },
      { pageRange: { from: 3, to: 3 }, headingPath: ['Intro'] },
    ]);
  });

  test('refuses a document that would exceed the chunk cap', () => {
    // Prepare
    const extracted = textDocument('word '.repeat(1000));

    // Act
    const attempt = () =>
      chunkDocument(extracted, { strategy: 'sliding_window', size: 100, overlap: 0 }, 10);

    // Assess
    expect(attempt).toThrow(DocumentRejectedError);
    expect(attempt).toThrow(/more than the limit of 10 chunks/);
  });

  test('rejects sizes that make no sense', () => {
    const extracted = textDocument('abc');
    expect(() => chunkDocument(extracted, { strategy: 'recursive', size: 0, overlap: 0 })).toThrow(
      RangeError,
    );
    expect(() =>
      chunkDocument(extracted, { strategy: 'recursive', size: 10, overlap: 10 }),
    ).toThrow(RangeError);
    expect(() => chunkDocument(extracted, { strategy: 'recursive', size: 10, overlap: 6 })).toThrow(
      RangeError,
    );
  });

  test('refuses, before cutting, a text longer than the cap of windows covers', () => {
    // Prepare: 5 windows of 100 - 50 fresh characters cover 250; the text has 251.
    const extracted = textDocument(`${'x'.repeat(250)}y`);

    // Act
    const attempt = () =>
      chunkDocument(extracted, { strategy: 'sliding_window', size: 100, overlap: 50 }, 5);

    // Assess
    expect(attempt).toThrow(/more than the limit of 5 chunks.*at most 250 characters long/);
    expect(
      chunkDocument(
        textDocument('x'.repeat(250)),
        { strategy: 'sliding_window', size: 100, overlap: 50 },
        5,
      ),
    ).toHaveLength(4);
  });

  test('counts chunks as they are cut, for texts short enough to pass the early check', () => {
    // Prepare: 50 sections of a few characters each, far under 10 windows of 1000.
    const extracted = extractMarkdown('# A\n\nx\n\n'.repeat(50));

    // Act
    const attempt = () =>
      chunkDocument(extracted, { strategy: 'markdown', size: 1000, overlap: 0 }, 10);

    // Assess
    expect(attempt).toThrow(/more than the limit of 10 chunks\.$/);
  });
});

describe('span production is lazy', () => {
  test('splits 300,000 spaces one piece at a time', () => {
    // Prepare
    const text = ` ${' '.repeat(300_000)} `;

    // Act
    const pieces = splitRecursively(text, 0, text.length, 100);
    const firstThree = [pieces.next().value, pieces.next().value, pieces.next().value];

    // Assess
    expect(firstThree).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
      { start: 2, end: 3 },
    ]);
  });

  test('packs chunks from pieces pulled only as far as the chunks need', () => {
    // Prepare: a source that fails once read past what three chunks of 10 need.
    function* pieces(): Generator<Piece> {
      for (let index = 0; ; index += 1) {
        if (index > 40) throw new Error('read too far ahead');
        yield { start: index, end: index + 1 };
      }
    }

    // Act
    const spans = packPieces(pieces(), 10, 5);
    const firstThree = [spans.next().value, spans.next().value, spans.next().value];

    // Assess
    expect(firstThree).toEqual([
      { start: 0, end: 10 },
      { start: 5, end: 15 },
      { start: 10, end: 20 },
    ]);
  });
});

describe('invariants, for any text and any strategy', () => {
  const token = fc.constantFrom(
    'word',
    'Lorem',
    'ipsum',
    ' ',
    ' ',
    '\n',
    '\n\n',
    '. ',
    '? ',
    ', ',
    'é',
    '🌍',
    '\t',
    '\n# Heading\n',
    '\n## Sub heading\n',
    '\n### Deeper\n',
  );
  const source = fc.array(token, { maxLength: 300 }).map((tokens) => tokens.join(''));
  const options = fc
    .record({
      strategy: fc.constantFrom(...CHUNKING_STRATEGIES),
      size: fc.integer({ min: 2, max: 200 }),
      overlapShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
    })
    .map(({ strategy, size, overlapShare }) => ({
      strategy,
      size,
      overlap: Math.floor(size * overlapShare),
    }));

  test('chunks quote the text exactly, stay within size, and lose nothing', () => {
    fc.assert(
      fc.property(source, options, (markdown, chunking) => {
        const extracted = extractMarkdown(markdown);
        const chunks = chunkDocument(extracted, chunking);
        const covered = new Uint8Array(extracted.text.length);
        chunks.forEach((chunk, index) => {
          expect(chunk.ordinal).toBe(index);
          expect(chunk.text).toBe(extracted.text.slice(chunk.start, chunk.end));
          expect(chunk.text.length).toBeGreaterThan(0);
          expect(chunk.text.length).toBeLessThanOrEqual(chunking.size);
          expect(chunk.text).toBe(chunk.text.trim());
          expect(chunk.text.isWellFormed()).toBe(true);
          if (index > 0) {
            expect(chunk.start).toBeGreaterThanOrEqual(chunks[index - 1]?.start ?? 0);
            expect(chunk.end).toBeGreaterThan(chunks[index - 1]?.end ?? 0);
          }
          covered.fill(1, chunk.start, chunk.end);
        });
        for (let offset = 0; offset < extracted.text.length; offset += 1) {
          if (/\S/.test(extracted.text[offset] as string)) expect(covered[offset]).toBe(1);
        }
      }),
      { numRuns: 600 },
    );
  });
});
