import { createHash } from 'node:crypto';
import { metadataKeySchema } from '../../platform/validation/metadata-key.ts';
import {
  fitMetadata,
  METADATA_MAX_BYTES,
  metadataBytes,
} from '../../platform/validation/metadata-size.ts';
import { type ChunkingOptions, DEFAULT_CHUNKING } from '../documents/chunking/types.ts';
import type { DocumentExtractor } from '../documents/document-extractor.ts';
import { MEDIA_TYPES } from '../documents/media-types.ts';
import type { DocumentType, ExtractedDocument, UploadedDocument } from '../documents/types.ts';
import type { Embedder } from '../embeddings/index.ts';
import { indexDocument } from '../index/embed-document.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import type { ChunkInput, DocumentRecord, NamespaceRef } from '../index/types.ts';

/** What ingestion needs; all created once per container. */
export interface IngestionDependencies {
  extractor: DocumentExtractor;
  index: KnowledgeIndex;
  embedder: Embedder;
  /** `DOCUMENT_MAX_CHUNKS`; the extractor's worker stops chunking past it. */
  maxChunks: number;
}

/** One document to ingest: its bytes and what the caller says about it. */
export interface IngestDocumentRequest {
  input: UploadedDocument;
  /** Overrides the title found in the file. */
  title?: string | undefined;
  /** The caller's stable id for the document (a path or URL); the same source replaces. */
  source?: string | undefined;
  /** Merged over the file's own metadata. */
  metadata?: Record<string, string> | undefined;
  chunking?: ChunkingOptions | undefined;
  /** The request's deadline (epoch ms), which bounds the embedding requests' retries. */
  deadline?: number | undefined;
  /** Aborted when the caller has been answered already: nothing is written after it. */
  signal?: AbortSignal | undefined;
}

/** `created`: a new document; `replaced`: same source, new content; `unchanged`: nothing to do. */
export type IngestStatus = 'created' | 'replaced' | 'unchanged';

export interface IngestDocumentResult {
  documentId: string;
  status: IngestStatus;
  type: DocumentType;
  mediaType: string;
  /** Pages of a PDF; 0 for formats without pages. */
  pageCount: number;
  chunkCount: number;
  record: DocumentRecord;
}

/** Bumped when anything that shapes chunks changes, so old hashes stop matching. */
const CONTENT_HASH_VERSION = 2;

/**
 * Extraction and chunking (in a worker) -> dedupe -> embedding (batched) -> one atomic
 * index write.
 *
 * The document id comes from `source` when given (so a new version replaces the old one
 * in the same atomic write, and no search ever sees both), else from the content itself.
 * The content hash covers the extracted text, title, metadata and chunking options: when
 * the stored document already has it, nothing is embedded or written.
 *
 * @throws the document errors of {@link DocumentExtractor.extractAndChunk} (413/415/422,
 *   `too_many_chunks` among them), and the index's and embedder's errors (503 when unavailable)
 */
export async function ingestDocument(
  dependencies: IngestionDependencies,
  ref: NamespaceRef,
  request: IngestDocumentRequest,
): Promise<IngestDocumentResult> {
  const { extractor, index, embedder, maxChunks } = dependencies;
  const chunking = request.chunking ?? DEFAULT_CHUNKING;
  // Parsing and chunking run in the extractor's worker, under its time cap; this thread
  // only hashes, dedupes, embeds and writes.
  const { document: extracted, chunks } = await extractor.extractAndChunk(request.input, chunking, {
    maxChunks,
  });
  const title = titleOf(request, extracted);
  const metadata = metadataOf(request, extracted);
  const contentHash = hashContent(extracted.text, title, metadata, chunking);
  const documentId = request.source
    ? `src-${digest(request.source).slice(0, 32)}`
    : `doc-${contentHash.slice(0, 32)}`;
  const summary = {
    documentId,
    type: extracted.type,
    mediaType: MEDIA_TYPES[extracted.type],
    pageCount: extracted.pages.length,
  };

  const existing = await index.getDocument(ref, documentId);
  if (existing && existing.contentHash === contentHash) {
    return { ...summary, status: 'unchanged', chunkCount: existing.chunkCount, record: existing };
  }
  const chunkInputs: ChunkInput[] = chunks.map((chunk) => ({
    text: chunk.text,
    headingPath: chunk.headingPath
      .slice(0, MAX_HEADING_LEVELS)
      .map((heading) => heading.slice(0, MAX_HEADING_CHARACTERS)),
    pageRange: chunk.pageRange,
    offsets: { start: chunk.start, end: chunk.end },
  }));
  const record = await indexDocument(
    index,
    embedder,
    ref,
    {
      id: documentId,
      title,
      source: request.source ?? request.input.filename ?? 'upload',
      contentHash,
      fileSha256: createHash('sha256').update(request.input.bytes).digest('hex'),
      metadata,
    },
    chunkInputs,
    { deadline: request.deadline, signal: request.signal },
  );
  return {
    ...summary,
    status: existing ? 'replaced' : 'created',
    chunkCount: record.chunkCount,
    record,
  };
}

/**
 * What a file says about itself (its title, front matter, PDF info) is untrusted and can
 * be huge; the title is repeated in every chunk's search terms and embedding text, so it
 * is held to the same sizes the request schema gives the caller.
 */
const MAX_TITLE_CHARACTERS = 300;
const MAX_METADATA_ENTRIES = 50;
/**
 * A heading path is stored with every chunk and returned with every search hit; HTML and
 * Markdown have six levels, and a heading longer than this is text, not a heading.
 */
const MAX_HEADING_LEVELS = 6;
const MAX_HEADING_CHARACTERS = 200;

function titleOf(request: IngestDocumentRequest, extracted: ExtractedDocument): string {
  const title =
    request.title ?? extracted.title ?? request.input.filename ?? request.source ?? 'Untitled';
  return title.trim().slice(0, MAX_TITLE_CHARACTERS) || 'Untitled';
}

/**
 * The caller's metadata, the type and page count the record lacks, and the file's own
 * metadata in what is left of {@link METADATA_MAX_BYTES}: the request schema holds the
 * caller to the cap, the file's entries are trimmed to fit.
 */
function metadataOf(
  request: IngestDocumentRequest,
  extracted: ExtractedDocument,
): Record<string, string> {
  const platform = {
    documentType: extracted.type,
    ...(extracted.pages.length > 0 ? { pageCount: String(extracted.pages.length) } : {}),
  };
  // Built on a null prototype: a key is only ever a key.
  const given = Object.assign(
    Object.create(null) as Record<string, string>,
    platform,
    request.metadata,
  );
  const fromFile = Object.entries({
    ...extracted.metadata,
    ...(extracted.author ? { author: extracted.author } : {}),
  })
    .filter(([key]) => metadataKeySchema.safeParse(key).success && !(key in given))
    .slice(0, MAX_METADATA_ENTRIES);
  const room = Math.max(0, METADATA_MAX_BYTES - metadataBytes(given));
  return Object.assign(given, Object.fromEntries(fitMetadata(fromFile, room)));
}

function hashContent(
  text: string,
  title: string,
  metadata: Record<string, string>,
  chunking: ChunkingOptions,
): string {
  const sortedMetadata = Object.entries(metadata).sort(([a], [b]) => a.localeCompare(b));
  const { strategy, size, overlap } = chunking;
  return digest(
    JSON.stringify([CONTENT_HASH_VERSION, title, sortedMetadata, [strategy, size, overlap], text]),
  );
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
