import type { Embedder, EmbedOptions } from '../embeddings/index.ts';
import { prepareDocument } from './document-store.ts';
import type { KnowledgeIndex } from './knowledge-index.ts';
import type { ChunkInput, DocumentInput, DocumentRecord, NamespaceRef } from './types.ts';

/**
 * The text embedded for a chunk: its document's title and heading path give the chunk the
 * context a bare paragraph lacks. Re-embedding uses the same function, so vectors stay
 * comparable.
 */
export function embeddingText(
  title: string,
  chunk: Pick<ChunkInput, 'headingPath' | 'text'>,
): string {
  const context = [title, ...chunk.headingPath].filter((part) => part.trim() !== '').join(' > ');
  return context ? `${context}\n\n${chunk.text}` : chunk.text;
}

/**
 * Embeds a document's chunks and indexes them, replacing any earlier version of the
 * document. One call to `embedder.embed` (which batches its requests).
 */
export async function indexDocument(
  index: KnowledgeIndex,
  embedder: Embedder,
  ref: NamespaceRef,
  document: DocumentInput,
  chunks: readonly ChunkInput[],
  options: EmbedOptions = {},
): Promise<DocumentRecord> {
  const vectors = await embedder.embed(
    chunks.map((chunk) => embeddingText(document.title, chunk)),
    options,
  );
  // The caller was answered (a 503 at the deadline) and will retry: write nothing.
  options.signal?.throwIfAborted();
  return index.putDocument(ref, document, chunks, {
    embedder: { id: embedder.id, dimensions: embedder.dimensions },
    vectors,
  });
}

/**
 * Re-embeds every document of a namespace with `embedder` and swaps the new vectors in
 * atomically, also recording the new embedder: the way to change model or dimension.
 * Searches keep using the old vectors until the flip. Fails with `IndexWriteConflictError`
 * (nothing changed) if a write lands while it runs; run it again then.
 */
export async function reembedNamespace(
  index: KnowledgeIndex,
  embedder: Embedder,
  ref: NamespaceRef,
): Promise<{ documents: number; chunks: number }> {
  const { version, documents } = await index.loadDocuments(ref);
  const identity = { id: embedder.id, dimensions: embedder.dimensions };
  // One embed call for the whole namespace, so the embedder can fill every request.
  const texts = documents.flatMap(({ record, chunks }) =>
    chunks.map((chunk) => embeddingText(record.title, chunk)),
  );
  const vectors = await embedder.embed(texts);
  let offset = 0;
  const prepared = documents.map(({ record, chunks }) => {
    const own = vectors.slice(offset, offset + chunks.length);
    offset += chunks.length;
    return prepareDocument(record, chunks, { embedder: identity, vectors: own });
  });
  await index.replaceNamespace(
    ref,
    version,
    documents.map(({ record }) => record.id),
    prepared,
    identity,
  );
  return { documents: documents.length, chunks: texts.length };
}
