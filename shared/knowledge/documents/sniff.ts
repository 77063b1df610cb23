import { fileTypeFromBuffer } from 'file-type';
import { DocumentRejectedError, UnsupportedMediaTypeError } from './errors.ts';
import { startsLikeHtmlDocument } from './html-prologue.ts';
import { declaredType } from './media-types.ts';
import { utf16BomEncoding } from './text-decoding.ts';
import type { DocumentType, UploadedDocument } from './types.ts';

export interface SniffedType {
  type: DocumentType;
  /** The `charset` the caller declared, a hint for text formats. */
  charset: string | undefined;
}

const HTML_TAGS = /<(?:head|body|title|p|div|h[1-6]|table|ul|script|style)[\s>]/i;
// Indentation is `[ \t]*`, not `\s*`: with the `m` flag, `\s*` would run on over the
// following lines from every line start, quadratic on a long run of blank lines.
const MARKDOWN_SIGNS = /^(?:---\n|#{1,6} |[ \t]*[-*+] |[ \t]*\d+\. |```|> )/m;

/**
 * Decides the document type from the bytes, never from the caller's claim alone.
 * Binary formats are recognised by their signature (file-type); text is told apart by
 * its content. A claim that disagrees with the bytes is refused: 415 when the bytes are
 * a format we do not ingest, 422 `content_type_mismatch` when they are another one we do.
 *
 * @example
 * await sniffDocumentType({ bytes, filename: 'report.pdf' }) // { type: 'pdf', charset: undefined }
 */
export async function sniffDocumentType(input: UploadedDocument): Promise<SniffedType> {
  const declared = declaredType(input.contentType, input.filename);
  const detected = await detectType(input.bytes);
  return { type: reconcile(declared.type, detected, input.bytes), charset: declared.charset };
}

/** `detected` is `text` for any text that is not a whole HTML document. */
function reconcile(
  declared: DocumentType | undefined,
  detected: DocumentType,
  bytes: Uint8Array,
): DocumentType {
  if (declared === undefined) return detected === 'text' ? textKind(bytes) : detected;
  if (declared === detected) return declared;
  // HTML fragments and Markdown look like any other text; only the claim tells them apart.
  if (detected === 'text' && (declared === 'html' || declared === 'markdown')) return declared;
  throw new DocumentRejectedError(
    'content_type_mismatch',
    `The file was declared as ${declared} but its content is ${detected}.`,
  );
}

function textKind(bytes: Uint8Array): DocumentType {
  const head = headText(bytes);
  if (/^\s*</.test(head) && HTML_TAGS.test(head)) return 'html';
  if (MARKDOWN_SIGNS.test(head)) return 'markdown';
  return 'text';
}

function headText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096));
}

async function detectType(bytes: Uint8Array): Promise<DocumentType> {
  // A UTF-16 byte-order mark first: `FF FE` also looks like an MPEG audio frame header.
  if (utf16BomEncoding(bytes)) return 'text';
  const signature = await fileTypeFromBuffer(bytes);
  if (signature?.ext === 'pdf') return 'pdf';
  // A zip that file-type cannot place may still be a DOCX; the archive scan decides.
  if (signature?.ext === 'docx' || signature?.ext === 'zip') return 'docx';
  if (signature !== undefined && signature.ext !== 'xml') {
    throw new UnsupportedMediaTypeError(`The file is ${signature.mime}, which is not supported.`);
  }
  if (startsLikeHtmlDocument(headText(bytes))) return 'html';
  if (signature?.ext === 'xml') {
    throw new UnsupportedMediaTypeError('XML files other than XHTML are not supported.');
  }
  return 'text';
}
