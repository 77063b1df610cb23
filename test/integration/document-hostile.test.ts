import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DocumentExtractor } from '#shared/knowledge/documents/document-extractor.ts';
import { isDocumentError } from '#shared/knowledge/documents/errors.ts';
import { type DocumentLimits, documentLimits } from '#shared/knowledge/documents/limits.ts';
import type { UploadedDocument } from '#shared/knowledge/documents/types.ts';
import { parseConfig } from '#shared/platform/config/index.ts';
import {
  buildDocxBomb,
  buildEncryptedPdf,
  buildPdf,
  buildPdfStreamBomb,
  deeplyNestedHtml,
  garbage,
  oneLine,
  truncate,
  utf8,
  withWrongMagic,
} from '#test/support/document-fixtures.ts';

const limits = documentLimits(parseConfig({}).limits);
const extractor = new DocumentExtractor({ limits });
afterAll(() => extractor.close());

/** A 1x1 PNG. */
const PNG = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
    'base64',
  ),
);

let pdf: Uint8Array;
let bigPdf: Uint8Array;
beforeAll(async () => {
  pdf = await buildPdf({ title: 'Plan', pages: [['One'], ['Two'], ['Three']] });
  bigPdf = await buildPdf({
    pages: Array.from({ length: 200 }, (_, page) => [
      `Page ${page + 1}`,
      'Lorem ipsum dolor sit amet.',
    ]),
  });
});

async function refusal(input: UploadedDocument, overrides: Partial<DocumentLimits> = {}) {
  const error = await extractor.extract(input, overrides).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isDocumentError(error)) throw new Error(`expected a document error, got ${String(error)}`);
  return { status: error.statusCode, code: error.code };
}

/** After any refusal the extractor must still read the next good file. */
async function expectHealthy(): Promise<void> {
  const extracted = await extractor.extract({
    bytes: utf8('# Still fine\n\nYes.'),
    filename: 'ok.md',
  });
  expect(extracted.sections[0]?.headingPath).toEqual(['Still fine']);
}

describe('hostile and broken files', () => {
  const cases: {
    name: string;
    status: number;
    code: string;
    input: () => UploadedDocument;
    overrides?: Partial<DocumentLimits>;
  }[] = [
    {
      name: 'a truncated PDF',
      status: 422,
      code: 'corrupt_file',
      input: () => ({ bytes: truncate(pdf, 0.6), filename: 'cut.pdf' }),
    },
    {
      name: 'a PDF with wrong magic bytes',
      status: 422,
      code: 'content_type_mismatch',
      input: () => ({ bytes: withWrongMagic(pdf), filename: 'magic.pdf' }),
    },
    {
      name: 'a PDF declared as Markdown',
      status: 422,
      code: 'content_type_mismatch',
      input: () => ({ bytes: pdf, filename: 'notes.md' }),
    },
    {
      name: 'a PDF over the page cap',
      status: 422,
      code: 'too_many_pages',
      input: () => ({ bytes: pdf, filename: 'plan.pdf' }),
      overrides: { maxPages: 2 },
    },
    {
      name: 'a DOCX zip bomb',
      status: 422,
      code: 'archive_bomb',
      input: () => ({ bytes: buildDocxBomb(50), filename: 'bomb.docx' }),
    },
    {
      name: 'a DOCX zip bomb that lies about its sizes',
      status: 422,
      code: 'archive_bomb',
      input: () => ({ bytes: buildDocxBomb(50, { lie: true }), filename: 'liar.docx' }),
    },
    {
      name: '50 MB of one line',
      status: 413,
      code: 'document_too_large',
      input: () => ({ bytes: oneLine(50 * 1024 * 1024), filename: 'line.txt' }),
    },
    {
      name: '50 MB of one line under a raised byte cap',
      status: 422,
      code: 'too_many_characters',
      input: () => ({ bytes: oneLine(50 * 1024 * 1024), filename: 'line.txt' }),
      overrides: { maxBytes: 64 * 1024 * 1024 },
    },
    {
      name: 'binary garbage named .md',
      status: 422,
      code: 'binary_content',
      input: () => ({ bytes: garbage(64 * 1024), filename: 'garbage.md' }),
    },
    {
      name: 'an empty file',
      status: 422,
      code: 'empty_document',
      input: () => ({ bytes: new Uint8Array(), filename: 'empty.txt' }),
    },
    {
      name: 'a file of blank lines',
      status: 422,
      code: 'empty_document',
      input: () => ({ bytes: utf8('\n \n\t\n'), filename: 'blank.md' }),
    },
    {
      name: 'HTML with nothing visible',
      status: 422,
      code: 'empty_document',
      input: () => ({
        bytes: utf8('<html><script>x()</script><p hidden>no</p></html>'),
        filename: 'x.html',
      }),
    },
    {
      name: 'deeply nested HTML',
      status: 422,
      code: 'nesting_too_deep',
      input: () => ({ bytes: utf8(deeplyNestedHtml(100_000)), filename: 'nested.html' }),
    },
    {
      name: 'a PNG named .pdf',
      status: 415,
      code: 'unsupported_media_type',
      input: () => ({ bytes: PNG, filename: 'scan.pdf' }),
    },
    {
      name: 'a declared type we do not ingest',
      status: 415,
      code: 'unsupported_media_type',
      input: () => ({ bytes: utf8('a,b\n1,2\n'), contentType: 'text/csv' }),
    },
  ];

  test.each(cases)(
    '$name is refused with $status $code',
    async ({ input, status, code, overrides }) => {
      // Act
      const outcome = await refusal(input(), overrides);

      // Assess
      expect(outcome).toEqual({ status, code });
      await expectHealthy();
    },
  );

  test('an encrypted PDF is refused with 422 encrypted_pdf', async () => {
    // Act
    const outcome = await refusal({ bytes: await buildEncryptedPdf(), filename: 'secret.pdf' });

    // Assess
    expect(outcome).toEqual({ status: 422, code: 'encrypted_pdf' });
    await expectHealthy();
  });

  test('a parse over the time cap is stopped: its worker is terminated and replaced', async () => {
    // Prepare
    const before = extractor.stats;

    // Act
    const outcome = await refusal({ bytes: bigPdf, filename: 'long.pdf' }, { parseTimeoutMs: 1 });

    // Assess
    expect(outcome).toEqual({ status: 422, code: 'parse_timeout' });
    expect(extractor.stats.terminated).toBe(before.terminated + 1);
    await expectHealthy();
    expect(extractor.stats.started).toBe(before.started + 1);
  });

  test('a PDF whose stream inflates past the memory allowance is stopped, not fatal', async () => {
    // Prepare: 600 MB of spaces in a ~600 KB file; the heap cap cannot see it.
    const bomb = await buildPdfStreamBomb(600);
    const guarded = new DocumentExtractor({ limits, maxRssGrowthMb: 150 });

    // Act
    const outcome = await guarded.extract({ bytes: bomb, filename: 'bomb.pdf' }).then(
      () => 'extracted',
      (error: unknown) => (isDocumentError(error) ? error.code : String(error)),
    );
    const after = await guarded.extract({ bytes: utf8('# Still fine\n\nYes.'), filename: 'ok.md' });
    await guarded.close();

    // Assess
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    expect(outcome).toBe('parse_memory_exceeded');
    expect(guarded.stats.terminated).toBeGreaterThanOrEqual(1);
    expect(after.sections[0]?.headingPath).toEqual(['Still fine']);
  });

  test('a document that needs more heap than allowed is refused, not fatal', async () => {
    // Prepare
    const tight = new DocumentExtractor({
      limits: { ...limits, maxBytes: 8 * 1024 * 1024 },
      maxHeapMb: 16,
    });
    const html = `<html><body>${'<p>word word word word word</p>'.repeat(150_000)}</body></html>`;

    // Act
    const outcome = await tight.extract({ bytes: utf8(html), filename: 'big.html' }).then(
      () => 'extracted',
      (error: unknown) => (isDocumentError(error) ? error.code : String(error)),
    );
    await tight.close();

    // Assess
    expect(outcome).toBe('parse_memory_exceeded');
    await expectHealthy();
  });
});
