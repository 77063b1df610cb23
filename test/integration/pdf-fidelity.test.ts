import { afterAll, describe, expect, test } from 'vitest';
import { DocumentExtractor } from '#shared/knowledge/documents/document-extractor.ts';
import { isDocumentError } from '#shared/knowledge/documents/errors.ts';
import { documentLimits } from '#shared/knowledge/documents/limits.ts';
import { parseConfig } from '#shared/platform/config/index.ts';
import { buildPdf, truncate } from '#test/support/document-fixtures.ts';

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
