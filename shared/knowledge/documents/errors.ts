import { PlatformError } from '../../platform/errors/base.ts';

/** Why a document was refused with 422; each value is also the error `code` a client sees. */
export type DocumentRejectionReason =
  | 'content_type_mismatch'
  | 'empty_document'
  | 'binary_content'
  | 'corrupt_file'
  | 'encrypted_pdf'
  | 'too_many_pages'
  | 'too_many_characters'
  | 'too_many_chunks'
  | 'archive_bomb'
  | 'nesting_too_deep'
  | 'parse_timeout'
  | 'parse_memory_exceeded';

/** The file is readable as a request but cannot or must not be ingested. */
export class DocumentRejectedError extends PlatformError {
  readonly statusCode = 422;
  readonly code: DocumentRejectionReason;

  constructor(code: DocumentRejectionReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DocumentRejectedError';
    this.code = code;
  }
}

/** The file is larger than `DOCUMENT_MAX_BYTES`. */
export class DocumentTooLargeError extends PlatformError {
  readonly statusCode = 413;
  readonly code = 'document_too_large';
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(`The document is larger than the limit of ${maxBytes} bytes.`);
    this.name = 'DocumentTooLargeError';
    this.maxBytes = maxBytes;
  }
}

/** The bytes, or the declared type, are a format the platform does not ingest. */
export class UnsupportedMediaTypeError extends PlatformError {
  readonly statusCode = 415;
  readonly code = 'unsupported_media_type';

  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** Any error a document can be refused with. */
export type DocumentError =
  | DocumentRejectedError
  | DocumentTooLargeError
  | UnsupportedMediaTypeError;

/** A document error reduced to plain data, to cross the worker boundary. */
export type SerializedDocumentError =
  | { kind: 'rejected'; code: DocumentRejectionReason; message: string }
  | { kind: 'too_large'; maxBytes: number }
  | { kind: 'unsupported'; message: string };

export function serializeDocumentError(error: DocumentError): SerializedDocumentError {
  if (error instanceof DocumentTooLargeError)
    return { kind: 'too_large', maxBytes: error.maxBytes };
  if (error instanceof UnsupportedMediaTypeError)
    return { kind: 'unsupported', message: error.message };
  return { kind: 'rejected', code: error.code, message: error.message };
}

export function deserializeDocumentError(data: SerializedDocumentError): DocumentError {
  switch (data.kind) {
    case 'too_large':
      return new DocumentTooLargeError(data.maxBytes);
    case 'unsupported':
      return new UnsupportedMediaTypeError(data.message);
    case 'rejected':
      return new DocumentRejectedError(data.code, data.message);
  }
}

export function isDocumentError(error: unknown): error is DocumentError {
  return (
    error instanceof DocumentRejectedError ||
    error instanceof DocumentTooLargeError ||
    error instanceof UnsupportedMediaTypeError
  );
}
