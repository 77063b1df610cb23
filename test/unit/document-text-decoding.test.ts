import { describe, expect, test } from 'vitest';
import { DocumentRejectedError } from '#shared/knowledge/documents/errors.ts';
import { decodeText, normalizeText } from '#shared/knowledge/documents/text-decoding.ts';
import { garbage, latin1, utf8 } from '#test/support/document-fixtures.ts';

describe('decodeText', () => {
  test('reads UTF-8 with and without a BOM', () => {
    expect(decodeText(utf8('naïve ☕'))).toEqual({ text: 'naïve ☕', encoding: 'utf-8' });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('BOM ✓')])).text).toBe('BOM ✓');
  });

  test('reads UTF-16 in either byte order from its BOM', () => {
    // Prepare
    const little = new Uint8Array([0xff, 0xfe, ...Buffer.from('Grüße 🌍', 'utf16le')]);
    const big = new Uint8Array([0xfe, 0xff, ...Buffer.from('Grüße 🌍', 'utf16le').swap16()]);

    // Act / Assess
    expect(decodeText(little)).toEqual({ text: 'Grüße 🌍', encoding: 'utf-16le' });
    expect(decodeText(big)).toEqual({ text: 'Grüße 🌍', encoding: 'utf-16be' });
  });

  test('reads UTF-16 without a BOM when the charset is declared', () => {
    const bytes = new Uint8Array(Buffer.from('Mémo en UTF-16', 'utf16le'));
    expect(decodeText(bytes, 'utf-16le')).toEqual({ text: 'Mémo en UTF-16', encoding: 'utf-16le' });
  });

  test('falls back to Windows-1252 for bytes that are not UTF-8', () => {
    // Prepare: 0x80 is the euro sign in Windows-1252, unassigned in ISO-8859-1.
    const bytes = new Uint8Array([...latin1('Prix: 5 '), 0x80, ...latin1(' à Genève')]);

    // Act / Assess
    expect(decodeText(bytes)).toEqual({ text: 'Prix: 5 € à Genève', encoding: 'windows-1252' });
  });

  test('follows a declared charset, and replaces bytes invalid in it', () => {
    expect(decodeText(latin1('café'), 'iso-8859-1').text).toBe('café');
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xff, 0x62])).text).toBe('a\ufffdb');
  });

  test('refuses binary data', () => {
    expect(() => decodeText(garbage(1024))).toThrow(DocumentRejectedError);
    expect(() => decodeText(new Uint8Array([0x61, 0x00, 0x62]))).toThrow(/binary/);
    expect(() => decodeText(new Uint8Array([0xff, 0xfe, ...garbage(1024, 7)]))).toThrow(/binary/);
  });

  test('tolerates a few stray control bytes in text', () => {
    expect(decodeText(utf8('page one\u000cpage two\u0007')).text).toBe(
      'page one\u000cpage two\u0007',
    );
  });
});

describe('normalizeText', () => {
  test('makes line ends, control characters and composition canonical', () => {
    expect(normalizeText('a\r\nb\rc\u000cd\u0007e\ufeff')).toBe('a\nb\nc\nde');
    expect(normalizeText('Cafe\u0301')).toBe('Café');
  });
});
