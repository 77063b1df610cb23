import { DocumentRejectedError } from '../errors.ts';
import type { DocumentLimits } from '../limits.ts';
import { normalizeText } from '../text-decoding.ts';
import type { ExtractedDocument, PageSpan } from '../types.ts';
import { CharacterBudget } from './character-budget.ts';
import { pdfJsDataPaths } from './pdf-data.ts';
import { infoMetadata } from './pdf-info.ts';
import { readingOrderText } from './pdf-text-order.ts';

const PAGE_SEPARATOR = '\n\n';
/** `%%EOF` must lie within this many bytes of the end, not counting trailing padding. */
const END_MARKER_WINDOW = 1024;

/**
 * Options that keep pdf.js inside the process: no eval of font programs, no system
 * fonts, no range or stream requests, no XFA forms, and no fetching by the parsing side
 * (`useWorkerFetch: false`): the standard font programs and the predefined CJK CMaps
 * (`pdf-data.ts`) are read from local folders through pdf.js's Node data factory, which
 * uses `fs`. The folders are given explicitly so that no `pdfjs-dist` install unpdf might
 * find decides what is read. Text in a Type0 font that names a predefined CMap (such as
 * `UniJIS-UCS2-H`) and has no ToUnicode map needs the CMaps; the font programs only draw
 * glyphs (pdf.js carries the standard fonts' widths and encodings in its code).
 */
export const PDFJS_OFFLINE_OPTIONS = {
  isEvalSupported: false,
  useSystemFonts: false,
  ...pdfJsDataPaths(),
  cMapPacked: true,
  disableFontFace: true,
  disableAutoFetch: true,
  disableStream: true,
  disableRange: true,
  enableXfa: false,
  useWorkerFetch: false,
  verbosity: 0,
};

/** Text per page and the info dictionary's title and author, through pdf.js (unpdf). */
export async function extractPdf(
  bytes: Uint8Array,
  limits: DocumentLimits,
): Promise<ExtractedDocument> {
  assertComplete(bytes);
  const { getDocumentProxy } = await import('unpdf');
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const pdf = await getDocumentProxy(bytes.slice(), PDFJS_OFFLINE_OPTIONS).catch(
    (error: unknown) => {
      throw openFailure(error);
    },
  );
  try {
    if (pdf.numPages > limits.maxPages) {
      throw new DocumentRejectedError(
        'too_many_pages',
        `The PDF has ${pdf.numPages} pages; the limit is ${limits.maxPages}.`,
      );
    }
    const budget = new CharacterBudget(limits.maxCharacters);
    const pages: PageSpan[] = [];
    let text = '';
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      page.cleanup();
      const items = content.items.filter((item) => 'str' in item);
      const pageText = normalizeText(readingOrderText(items)).trimEnd();
      const separator = number > 1 ? PAGE_SEPARATOR : '';
      budget.spend(separator.length + pageText.length);
      text += separator;
      pages.push({ number, start: text.length, end: text.length + pageText.length });
      text += pageText;
    }
    const { info } = await pdf.getMetadata();
    const metadata = infoMetadata(info);
    return {
      type: 'pdf',
      title: metadata.title,
      author: metadata.author,
      metadata,
      text,
      pages,
      sections: [],
    };
  } finally {
    await pdf.destroy();
  }
}

/**
 * A PDF ends with `%%EOF`; a cut-off upload does not. Whitespace and NUL bytes after it
 * (padding some producers and transfers add, which readers ignore) are skipped first.
 */
function assertComplete(bytes: Uint8Array): void {
  let end = bytes.length;
  while (end > 0 && isPadding(bytes[end - 1] as number)) end -= 1;
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, end)
    .subarray(-END_MARKER_WINDOW)
    .toString('latin1');
  if (!tail.includes('%%EOF')) {
    throw new DocumentRejectedError('corrupt_file', 'The PDF is truncated: it has no end marker.');
  }
}

function openFailure(error: unknown): DocumentRejectedError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') {
    return new DocumentRejectedError(
      'encrypted_pdf',
      'The PDF is password-protected; upload it without encryption.',
      { cause: error },
    );
  }
  return new DocumentRejectedError('corrupt_file', 'The PDF is damaged and cannot be read.', {
    cause: error,
  });
}

/** NUL and the PDF whitespace characters (tab, line feed, form feed, carriage return, space). */
function isPadding(byte: number): boolean {
  return (
    byte === 0x00 ||
    byte === 0x09 ||
    byte === 0x0a ||
    byte === 0x0c ||
    byte === 0x0d ||
    byte === 0x20
  );
}
