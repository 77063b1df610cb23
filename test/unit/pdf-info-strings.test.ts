import { describe, expect, test } from 'vitest';
import { decodeInfoString, infoMetadata } from '#shared/knowledge/documents/extractors/pdf-info.ts';

/** What pdf.js makes of raw info-string bytes with no byte-order mark: PDFDocEncoding. */
const PDF_DOC_HIGH = '•†‡…—–ƒ⁄‹›−‰„“”‘’‚™ﬁﬂŁŒŠŸŽıłœšž';
function asPdfDocEncoding(bytes: Buffer): string {
  return [...bytes]
    .map((byte) => {
      if (byte >= 0x80 && byte <= 0x9e) return PDF_DOC_HIGH[byte - 0x80];
      if (byte === 0xa0) return '€';
      return String.fromCharCode(byte);
    })
    .join('');
}

describe('decodeInfoString', () => {
  test.each(['日本語のタイトル', 'Zoë Ångström', 'Ελληνικά', 'emoji 📄 report', 'Łódź — “quoted”'])(
    'reads UTF-8 bytes without a byte-order mark as UTF-8: %s',
    (text) => {
      // Prepare
      const misread = asPdfDocEncoding(Buffer.from(text, 'utf8'));

      // Act
      const decoded = decodeInfoString(misread);

      // Assess
      expect(misread).not.toBe(text);
      expect(decoded).toBe(text);
    },
  );

  test.each([
    ['plain ASCII', 'Quarterly Report'],
    ['PDFDocEncoding that is not valid UTF-8', 'Café €5 ’24'],
    ['text already decoded from UTF-16', 'Дмитрий 李'],
    ['a lone high byte', 'Ü'],
  ])('leaves %s as it is', (_name, text) => {
    // Act
    const decoded = decodeInfoString(text);

    // Assess
    expect(decoded).toBe(text);
  });
});

describe('infoMetadata', () => {
  test('keeps the text fields, decoded, lower-cased and trimmed, and drops blanks', () => {
    // Act
    const metadata = infoMetadata({
      Title: asPdfDocEncoding(Buffer.from(' 報告書 ', 'utf8')),
      Author: '   ',
      Producer: 'pdfTeX',
      Custom: 'ignored',
    });

    // Assess
    expect(metadata).toEqual({ title: '報告書', producer: 'pdfTeX' });
  });
});
