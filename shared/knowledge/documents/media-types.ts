import { UnsupportedMediaTypeError } from './errors.ts';
import type { DocumentType } from './types.ts';

/** The MIME type reported for each document type. */
export const MEDIA_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html',
  markdown: 'text/markdown',
  text: 'text/plain',
} as const satisfies Record<DocumentType, string>;

const BY_MIME: Record<string, DocumentType> = {
  'application/pdf': 'pdf',
  [MEDIA_TYPES.docx]: 'docx',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'text',
};

const BY_EXTENSION: Record<string, DocumentType> = {
  pdf: 'pdf',
  docx: 'docx',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  md: 'markdown',
  markdown: 'markdown',
  mdown: 'markdown',
  mkd: 'markdown',
  txt: 'text',
  text: 'text',
};

/** MIME types that say nothing about the content; they count as undeclared. */
const UNINFORMATIVE = new Set(['application/octet-stream', 'binary/octet-stream']);

export interface DeclaredType {
  type: DocumentType | undefined;
  /** The `charset` parameter of the content type, if any. */
  charset: string | undefined;
}

/**
 * What the caller claims the document is, from its content type, else its file
 * extension. A claim of a format the platform does not ingest is refused outright.
 */
export function declaredType(contentType?: string, filename?: string): DeclaredType {
  const [mimePart = '', ...parameters] = (contentType ?? '').split(';');
  const mime = mimePart.trim().toLowerCase();
  const charset = parameters
    .map((parameter) => parameter.trim().match(/^charset\s*=\s*"?([^";\s]+)"?$/i)?.[1])
    .find((value) => value !== undefined);
  if (mime !== '' && !UNINFORMATIVE.has(mime)) {
    const type = BY_MIME[mime];
    if (!type) throw new UnsupportedMediaTypeError(`Content type ${mime} is not supported.`);
    return { type, charset };
  }
  const extension = filename?.match(/\.([A-Za-z0-9]{1,10})$/)?.[1]?.toLowerCase();
  if (extension === undefined) return { type: undefined, charset };
  const type = BY_EXTENSION[extension];
  if (!type)
    throw new UnsupportedMediaTypeError(`Files ending in .${extension} are not supported.`);
  return { type, charset };
}
