import { DocumentRejectedError, DocumentTooLargeError } from './errors.ts';
import type { DocumentLimits } from './limits.ts';

/**
 * Checks that need no parsing, run before a file is handed to a worker so that an
 * oversized or empty upload costs nothing. Kept apart from the parsers so the handler's
 * bundle does not pull them in.
 */
export function assertAcceptableSize(
  bytes: Uint8Array,
  limits: Pick<DocumentLimits, 'maxBytes'>,
): void {
  if (bytes.byteLength > limits.maxBytes) throw new DocumentTooLargeError(limits.maxBytes);
  if (bytes.byteLength === 0) throw emptyDocument();
}

export function emptyDocument(): DocumentRejectedError {
  return new DocumentRejectedError('empty_document', 'The document holds no text.');
}
