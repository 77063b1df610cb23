import { describe, expect, test } from 'vitest';
import { isDocumentError } from '#shared/knowledge/documents/errors.ts';
import { sniffDocumentType } from '#shared/knowledge/documents/sniff.ts';
import type { UploadedDocument } from '#shared/knowledge/documents/types.ts';
import {
  buildDocx,
  buildPdf,
  HTML_WITH_HIDDEN,
  MARKDOWN_HANDBOOK,
  utf8,
} from '#test/support/document-fixtures.ts';

async function sniffed(input: UploadedDocument): Promise<string> {
  try {
    return (await sniffDocumentType(input)).type;
  } catch (error) {
    if (isDocumentError(error)) return `${error.statusCode} ${error.code}`;
    throw error;
  }
}

describe('sniffDocumentType', () => {
  test('takes UTF-16 text with a byte-order mark as text, not as audio', async () => {
    // Prepare: `FF FE` also starts an MPEG audio frame header.
    const body = Buffer.from('Quarterly notes, UTF-16 encoded.', 'utf16le');
    const littleEndian = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), body]));
    const bigEndian = new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), body.swap16()]));

    // Act / Assess
    expect(await sniffed({ bytes: littleEndian, filename: 'notes.txt' })).toBe('text');
    expect(await sniffed({ bytes: bigEndian, filename: 'notes.txt' })).toBe('text');
  });

  test('recognises binary formats by their bytes, whatever the name', async () => {
    // Prepare
    const pdf = await buildPdf({ pages: [['x']] });
    const docx = buildDocx({ paragraphs: [{ text: 'x' }] });

    // Act / Assess
    expect(await sniffed({ bytes: pdf })).toBe('pdf');
    expect(await sniffed({ bytes: pdf, filename: 'report.PDF' })).toBe('pdf');
    expect(await sniffed({ bytes: docx })).toBe('docx');
    expect(await sniffed({ bytes: docx, contentType: 'application/octet-stream' })).toBe('docx');
  });

  test('tells text formats apart by content when nothing is declared', async () => {
    expect(await sniffed({ bytes: utf8(HTML_WITH_HIDDEN) })).toBe('html');
    expect(await sniffed({ bytes: utf8('<p>Hello <b>there</b></p>') })).toBe('html');
    expect(await sniffed({ bytes: utf8(MARKDOWN_HANDBOOK) })).toBe('markdown');
    expect(await sniffed({ bytes: utf8('Just a note.\nTwo lines.') })).toBe('text');
  });

  test('follows a declared text type when the bytes are text', async () => {
    expect(await sniffed({ bytes: utf8('Plain words'), contentType: 'text/markdown' })).toBe(
      'markdown',
    );
    expect(await sniffed({ bytes: utf8('Plain words'), filename: 'fragment.html' })).toBe('html');
    expect(
      await sniffed({ bytes: utf8('# Title'), contentType: 'text/plain; charset=utf-8' }),
    ).toBe('text');
  });

  test('refuses a declared type that disagrees with the bytes', async () => {
    // Prepare
    const pdf = await buildPdf({ pages: [['x']] });

    // Act / Assess
    expect(await sniffed({ bytes: utf8('hello'), filename: 'report.pdf' })).toBe(
      '422 content_type_mismatch',
    );
    expect(await sniffed({ bytes: pdf, contentType: 'text/plain' })).toBe(
      '422 content_type_mismatch',
    );
    expect(await sniffed({ bytes: pdf, filename: 'letter.docx' })).toBe(
      '422 content_type_mismatch',
    );
    expect(await sniffed({ bytes: utf8(HTML_WITH_HIDDEN), filename: 'page.md' })).toBe(
      '422 content_type_mismatch',
    );
  });

  test('refuses formats and declared types it does not ingest with 415', async () => {
    expect(await sniffed({ bytes: utf8('a'), contentType: 'image/png' })).toBe(
      '415 unsupported_media_type',
    );
    expect(await sniffed({ bytes: utf8('a'), filename: 'setup.exe' })).toBe(
      '415 unsupported_media_type',
    );
    expect(await sniffed({ bytes: utf8('<?xml version="1.0"?><feed></feed>') })).toBe(
      '415 unsupported_media_type',
    );
    expect(await sniffed({ bytes: new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]) })).toBe(
      '415 unsupported_media_type',
    );
  });
});
