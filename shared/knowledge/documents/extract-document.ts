import { DocumentRejectedError, isDocumentError } from './errors.ts';
import { tooManyCharacters } from './extractors/character-budget.ts';
import { extractDocx } from './extractors/docx.ts';
import { extractHtml } from './extractors/html.ts';
import { extractMarkdown } from './extractors/markdown.ts';
import { extractPdf } from './extractors/pdf.ts';
import { extractPlainText } from './extractors/plain-text.ts';
import type { DocumentLimits } from './limits.ts';
import { assertAcceptableSize, emptyDocument } from './size-checks.ts';
import { sniffDocumentType } from './sniff.ts';
import { decodeText, normalizeText } from './text-decoding.ts';
import type { ExtractedDocument, UploadedDocument } from './types.ts';

/**
 * Sniffs, parses and normalises one document in the current thread. Every refusal is a
 * typed document error; anything a parser throws on hostile input becomes `corrupt_file`
 * (or `nesting_too_deep` when it ran out of stack). Use {@link DocumentExtractor} to run
 * this off the main thread under a time and memory cap.
 */
export async function extractDocument(
  input: UploadedDocument,
  limits: DocumentLimits,
): Promise<ExtractedDocument> {
  assertAcceptableSize(input.bytes, limits);
  const { type, charset } = await sniffDocumentType(input);
  let extracted: ExtractedDocument;
  try {
    extracted = await extractByType(type, input.bytes, charset, limits);
  } catch (error) {
    throw asDocumentError(error);
  }
  if (extracted.text.length > limits.maxCharacters) throw tooManyCharacters(limits.maxCharacters);
  if (extracted.text.trim() === '') throw emptyDocument();
  return extracted;
}

/** Loads the parsers that are otherwise imported on first use (pdf.js). */
export async function loadParsers(): Promise<void> {
  await import('unpdf');
}

async function extractByType(
  type: ExtractedDocument['type'],
  bytes: Uint8Array,
  charset: string | undefined,
  limits: DocumentLimits,
): Promise<ExtractedDocument> {
  switch (type) {
    case 'pdf':
      return extractPdf(bytes, limits);
    case 'docx':
      return extractDocx(bytes, limits);
    case 'html':
      return extractHtml(textWithin(bytes, charset, limits), limits);
    case 'markdown':
      return extractMarkdown(textWithin(bytes, charset, limits));
    case 'text':
      return extractPlainText(textWithin(bytes, charset, limits));
  }
}

function textWithin(
  bytes: Uint8Array,
  charset: string | undefined,
  limits: DocumentLimits,
): string {
  const text = normalizeText(decodeText(bytes, charset).text);
  if (text.length > limits.maxCharacters) throw tooManyCharacters(limits.maxCharacters);
  return text;
}

function asDocumentError(error: unknown): Error {
  if (isDocumentError(error)) return error;
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new DocumentRejectedError(
      'nesting_too_deep',
      'The document is nested too deeply to read.',
      {
        cause: error,
      },
    );
  }
  return new DocumentRejectedError('corrupt_file', 'The file is damaged and cannot be read.', {
    cause: error,
  });
}
