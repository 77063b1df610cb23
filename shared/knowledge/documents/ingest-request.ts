import * as z from 'zod';
import { metadataKeySchema } from '../../platform/validation/metadata-key.ts';
import { checkMetadataSize, METADATA_MAX_BYTES } from '../../platform/validation/metadata-size.ts';
import { maxOverlap } from './chunking/options.ts';
import { CHUNKING_STRATEGIES, DEFAULT_CHUNKING } from './chunking/types.ts';
import type { UploadedDocument } from './types.ts';

/**
 * The most `DOCUMENT_MAX_BYTES` may be (Lambda's invocation limit). The route's schema
 * caps fields at this ceiling; the configured cap on the whole body is the one that binds.
 */
export const DOCUMENT_BYTES_CEILING = 6 * 1024 * 1024;

const TEXT_CONTENT_TYPES = ['text/plain', 'text/markdown', 'text/html'] as const;
const MAX_METADATA_ENTRIES = 50;

/**
 * The body of `POST /v1/documents`: either `text` (with an optional text content type) or
 * `contentBase64` with its `filename`. `source` is the caller's stable id for the
 * document (a path or URL); sending the same `source` again replaces the document.
 * Chunk `size` and `overlap` are in characters; `overlap` is at most half of `size`.
 */
export function createIngestRequestSchema({ maxBytes }: { maxBytes: number }) {
  return z
    .strictObject({
      text: z.string().min(1).max(maxBytes).optional(),
      contentBase64: z
        .base64()
        .max(Math.ceil(maxBytes / 3) * 4, `must decode to at most ${maxBytes} bytes`)
        .optional(),
      filename: z.string().trim().min(1).max(255).optional(),
      contentType: z.string().trim().min(1).max(200).optional(),
      title: z.string().trim().min(1).max(300).optional(),
      source: z.string().trim().min(1).max(1024).optional(),
      metadata: z
        .record(metadataKeySchema, z.string().max(2_000))
        .refine((value) => Object.keys(value).length <= MAX_METADATA_ENTRIES, {
          message: `at most ${MAX_METADATA_ENTRIES} entries`,
        })
        .superRefine(checkMetadataSize)
        .describe(
          `At most ${MAX_METADATA_ENTRIES} entries and ${METADATA_MAX_BYTES} bytes (UTF-8) of keys and values; past that 413 metadata_too_large`,
        )
        .optional(),
      chunking: z
        .strictObject({
          strategy: z.enum(CHUNKING_STRATEGIES).default(DEFAULT_CHUNKING.strategy),
          size: z.int().min(100).max(8_000).default(DEFAULT_CHUNKING.size),
          overlap: z.int().min(0).max(4_000).optional(),
        })
        // Windows then advance by at least half a chunk: no option lets a document make
        // more than DOCUMENT_MAX_CHARACTERS / (size - overlap) windows, and chunking stays
        // linear in the text's length (see `chunkDocument`).
        .refine((value) => value.overlap === undefined || value.overlap <= maxOverlap(value.size), {
          path: ['overlap'],
          message: 'must be at most half of size',
        })
        // An omitted overlap is the default one, held to half of the size asked for, so
        // that `{"size": 300}` alone stays valid.
        .transform(({ overlap, ...rest }) => ({
          ...rest,
          overlap: overlap ?? Math.min(DEFAULT_CHUNKING.overlap, maxOverlap(rest.size)),
        }))
        .optional(),
    })
    .superRefine((body, context) => {
      const hasText = body.text !== undefined;
      const hasFile = body.contentBase64 !== undefined;
      if (hasText === hasFile) {
        context.addIssue({
          code: 'custom',
          path: hasText ? ['contentBase64'] : ['text'],
          message: 'give exactly one of text or contentBase64',
        });
      }
      if (hasFile && !hasText && body.filename === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['filename'],
          message: 'required with contentBase64',
        });
      }
      const mime = body.contentType?.split(';')[0]?.trim().toLowerCase();
      if (
        hasText &&
        mime !== undefined &&
        !(TEXT_CONTENT_TYPES as readonly string[]).includes(mime)
      ) {
        context.addIssue({
          code: 'custom',
          path: ['contentType'],
          message: `with text, one of ${TEXT_CONTENT_TYPES.join(', ')}`,
        });
      }
    });
}

/** The schema at the size ceiling, for the route spec and OpenAPI. */
export const ingestRequestSchema = createIngestRequestSchema({
  maxBytes: DOCUMENT_BYTES_CEILING,
});

export type IngestRequest = z.output<typeof ingestRequestSchema>;

/** The bytes and declared type of a validated request, ready for `DocumentExtractor.extract`. */
export function toUploadedDocument(request: IngestRequest): UploadedDocument {
  if (request.text !== undefined) {
    return {
      bytes: new TextEncoder().encode(request.text),
      contentType: request.contentType
        ? `${request.contentType.split(';')[0]}; charset=utf-8`
        : undefined,
      filename: request.filename,
    };
  }
  return {
    bytes: new Uint8Array(Buffer.from(request.contentBase64 ?? '', 'base64')),
    contentType: request.contentType,
    filename: request.filename,
  };
}
