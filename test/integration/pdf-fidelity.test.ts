import { promises as fs, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { version as pdfJsVersion } from 'unpdf/pdfjs';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { DocumentExtractor } from '#shared/knowledge/documents/document-extractor.ts';
import { isDocumentError } from '#shared/knowledge/documents/errors.ts';
import { extractPdf, PDFJS_OFFLINE_OPTIONS } from '#shared/knowledge/documents/extractors/pdf.ts';
import { documentLimits } from '#shared/knowledge/documents/limits.ts';
import { parseConfig } from '#shared/platform/config/index.ts';
import { buildPdf, truncate } from '#test/support/document-fixtures.ts';
import {
  type DrawnRun,
  drawnRunsPdf,
  GLYPH_WIDTH,
  handWrittenPdf,
  predefinedCMapPdf,
  visualOrder,
} from '#test/support/hand-written-pdf.ts';

const extractor = new DocumentExtractor({ limits: documentLimits(parseConfig({}).limits) });
afterAll(() => extractor.close());

const extractText = async (bytes: Uint8Array) =>
  (await extractor.extract({ bytes, filename: 'file.pdf' })).text;

function followedBy(bytes: Uint8Array, padding: Uint8Array): Uint8Array {
  const padded = new Uint8Array(bytes.length + padding.length);
  padded.set(bytes);
  padded.set(padding, bytes.length);
  return padded;
}

async function refusalOf(bytes: Uint8Array) {
  const error = await extractor.extract({ bytes, filename: 'cut.pdf' }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isDocumentError(error)) throw new Error(`expected a document error, got ${String(error)}`);
  return { status: error.statusCode, code: error.code, message: error.message };
}

describe('the end of a PDF', () => {
  test('20 KB of NUL bytes or whitespace after %%EOF do not make it truncated', async () => {
    // Prepare
    const pdf = await buildPdf({ pages: [['Padded at the end']] });

    // Act
    const afterZeros = await extractText(followedBy(pdf, new Uint8Array(20 * 1024)));
    const afterSpaces = await extractText(
      followedBy(pdf, new Uint8Array(Buffer.from(' \r\n\t'.repeat(2000), 'latin1'))),
    );

    // Assess
    expect(afterZeros).toBe('Padded at the end');
    expect(afterSpaces).toBe('Padded at the end');
  });

  test('a PDF cut before its end is still refused, padded or not', async () => {
    // Prepare
    const cut = truncate(await buildPdf({ pages: [['One'], ['Two']] }), 0.7);

    // Act
    const plain = await refusalOf(cut);
    const padded = await refusalOf(followedBy(cut, new Uint8Array(20 * 1024)));

    // Assess
    for (const outcome of [plain, padded]) {
      expect(outcome).toMatchObject({ status: 422, code: 'corrupt_file' });
      expect(outcome.message).toContain('truncated');
    }
  });
});

describe('info dictionary strings', () => {
  /** A PDF whose Title and Author are written as the given raw string objects. */
  async function withInfo(title: PDFString | PDFHexString, author: PDFString | PDFHexString) {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    pdf.addPage().drawText('Body', { x: 50, y: 700, size: 12, font });
    const info = pdf.context.lookup(pdf.context.trailerInfo.Info, PDFDict);
    info.set(PDFName.of('Title'), title);
    info.set(PDFName.of('Author'), author);
    return pdf.save({ useObjectStreams: false });
  }
  const rawBytes = (bytes: Buffer) => PDFString.of(bytes.toString('latin1'));

  test('UTF-8 bytes without a byte-order mark are read as UTF-8', async () => {
    // Prepare
    const bytes = await withInfo(
      rawBytes(Buffer.from('日本語の報告書', 'utf8')),
      rawBytes(Buffer.from('Zoë Ångström', 'utf8')),
    );

    // Act
    const extracted = await extractor.extract({ bytes, filename: 'jp.pdf' });

    // Assess
    expect(extracted.title).toBe('日本語の報告書');
    expect(extracted.author).toBe('Zoë Ångström');
  });

  test('PDFDocEncoding and UTF-16BE with a byte-order mark stay right', async () => {
    // Prepare: PDFDocEncoding 0xA0 is the euro sign, 0x90 a right single quote, 0xE9 é.
    const bytes = await withInfo(
      rawBytes(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0xa0, 0x35, 0x20, 0x90, 0x32, 0x34])),
      PDFHexString.fromText('Дмитрий 李'),
    );

    // Act
    const extracted = await extractor.extract({ bytes, filename: 'latin.pdf' });

    // Assess
    expect(extracted.title).toBe('Café €5 ’24');
    expect(extracted.author).toBe('Дмитрий 李');
  });
});

describe('standard fonts that are not embedded', () => {
  const content = 'BT /F1 12 Tf 72 700 Td (Quarterly figures) Tj 0 -16 Td [(Re)-20(vised)] TJ ET';

  test.each([
    ['Helvetica without /Widths or /Encoding', '/Type1 /BaseFont /Helvetica'],
    ['Times-Bold with WinAnsiEncoding', '/Type1 /BaseFont /Times-Bold /Encoding /WinAnsiEncoding'],
    [
      'Courier with a descriptor only',
      '/Type1 /BaseFont /Courier /FontDescriptor << /Type /FontDescriptor /FontName /Courier /Flags 33 >>',
    ],
    [
      'Arial as TrueType, symbolic',
      '/TrueType /BaseFont /Arial,Bold /FontDescriptor << /Type /FontDescriptor /FontName /Arial,Bold /Flags 4 >>',
    ],
  ])('%s: its text is extracted', async (_name, font) => {
    // Act
    const text = await extractText(handWrittenPdf(`<< /Type /Font /Subtype ${font} >>`, content));

    // Assess
    expect(text).toBe('Quarterly figures\nRevised');
  });

  test('Symbol maps through its own encoding', async () => {
    // Act
    const text = await extractText(
      handWrittenPdf(
        '<< /Type /Font /Subtype /Type1 /BaseFont /Symbol >>',
        'BT /F1 12 Tf 72 700 Td (abg) Tj ET',
      ),
    );

    // Assess
    expect(text).toBe('αβγ');
  });
});

describe('CJK text in a font that is not embedded and has no ToUnicode map', () => {
  test.each([
    ['Japanese', '日本語の報告書', { encoding: 'UniJIS-UCS2-H', ordering: 'Japan1' }],
    ['Simplified Chinese', '年度财务报告', { encoding: 'UniGB-UCS2-H', ordering: 'GB1' }],
    ['Traditional Chinese', '年度財務報告', { encoding: 'UniCNS-UCS2-H', ordering: 'CNS1' }],
    ['Korean', '연간 보고서', { encoding: 'UniKS-UCS2-H', ordering: 'Korea1' }],
  ])('%s through a predefined CMap is extracted', async (_language, written, cmap) => {
    // Act
    const text = await extractText(predefinedCMapPdf(written, cmap));

    // Assess
    expect(text).toBe(written);
  });
});

describe("pdf.js's data", () => {
  afterEach(() => vi.restoreAllMocks());
  const limits = documentLimits(parseConfig({}).limits);
  const { standardFontDataUrl, cMapUrl } = PDFJS_OFFLINE_OPTIONS;

  test('comes from local folders of the pdfjs-dist version unpdf bundles', async () => {
    // Prepare
    const installed = JSON.parse(
      readFileSync(new URL('../../node_modules/pdfjs-data/package.json', import.meta.url), 'utf8'),
    ) as { version: string };

    // Act
    const entries = {
      fonts: await fs.readdir(standardFontDataUrl),
      cmaps: await fs.readdir(cMapUrl),
    };

    // Assess
    expect(installed.version).toBe(pdfJsVersion);
    for (const folder of [standardFontDataUrl, cMapUrl]) {
      expect(isAbsolute(folder) && folder.endsWith('/')).toBe(true);
    }
    expect(entries.fonts).toEqual(
      expect.arrayContaining(['LiberationSans-Regular.ttf', 'FoxitSerif.pfb', 'LICENSE_FOXIT']),
    );
    expect(entries.cmaps).toEqual(
      expect.arrayContaining(['UniJIS-UCS2-H.bcmap', 'Adobe-Japan1-UCS2.bcmap', 'LICENSE']),
    );
  });

  test('is read from those folders with fs, and nothing is fetched', async () => {
    // Prepare: pdf.js reads through the same `fs` module (process.getBuiltinModule).
    const fetched = vi.spyOn(globalThis, 'fetch');
    const read = vi.spyOn(fs, 'readFile');
    const japanese = predefinedCMapPdf('日本語', { encoding: 'UniJIS-UCS2-H', ordering: 'Japan1' });
    const helvetica = handWrittenPdf(
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      'BT /F1 12 Tf 72 700 Td (Quarterly) Tj ET',
    );

    // Act
    const texts = [
      (await extractPdf(japanese, limits)).text,
      (await extractPdf(helvetica, limits)).text,
    ];

    // Assess
    expect(texts).toEqual(['日本語', 'Quarterly']);
    expect(fetched).not.toHaveBeenCalled();
    expect(read.mock.calls.map(([path]) => String(path)).sort()).toEqual([
      `${cMapUrl}Adobe-Japan1-UCS2.bcmap`,
      `${cMapUrl}UniJIS-UCS2-H.bcmap`,
      `${standardFontDataUrl}LiberationSans-Regular.ttf`,
    ]);
  });
});

describe('right-to-left text', () => {
  const size = 12;
  const advance = GLYPH_WIDTH * size;
  /**
   * Words laid out on one line from the left, `gap` glyph widths apart (more than one, as
   * in justified text or table cells, makes pdf.js hand each word over as a run of its
   * own), each drawn as given.
   */
  function line(words: string[], y: number, gap = 1): DrawnRun[] {
    let x = 100;
    return words.map((glyphs) => {
      const run = { glyphs, x, y };
      x += ([...glyphs].length + gap) * advance;
      return run;
    });
  }

  test('Arabic drawn word by word, left to right, reads in logical order', async () => {
    // Prepare: "مرحبا بالعالم" (hello world), justified: the first word is the rightmost one.
    const runs = line([visualOrder('بالعالم'), visualOrder('مرحبا')], 700, 3);

    // Act
    const text = await extractText(drawnRunsPdf(runs, size));

    // Assess
    expect(text).toBe('مرحبا بالعالم');
  });

  test('Arabic words drawn from the right (reading order) read the same', async () => {
    // Prepare
    const runs = line([visualOrder('بالعالم'), visualOrder('مرحبا')], 700).reverse();

    // Act
    const text = await extractText(drawnRunsPdf(runs, size));

    // Assess
    expect(text).toBe('مرحبا بالعالم');
  });

  test('Latin words and numbers inside an Arabic line keep their own order', async () => {
    // Prepare: "تقرير PDF 2024" is drawn as "PDF 2024" left of the Arabic word.
    const runs = line(['PDF', '2024', visualOrder('تقرير')], 700, 3);

    // Act
    const text = await extractText(drawnRunsPdf(runs, size));

    // Assess
    expect(text).toBe('تقرير PDF 2024');
  });

  test('Hebrew lines keep their order down the page and their words within', async () => {
    // Prepare
    const runs = [
      ...line([visualOrder('עולם'), visualOrder('שלום')], 700, 3),
      ...line([visualOrder('טוב'), visualOrder('ספר')], 680),
    ];

    // Act
    const text = await extractText(drawnRunsPdf(runs, size));

    // Assess
    expect(text).toBe('שלום עולם\nספר טוב');
  });

  test('left-to-right lines are left as they were', async () => {
    // Act
    const text = await extractText(drawnRunsPdf(line(['Plain', 'English', 'line'], 700, 3), size));

    // Assess
    expect(text).toBe('Plain English line');
  });
});
