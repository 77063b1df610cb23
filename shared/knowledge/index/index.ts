export { getKnowledgeIndex } from './container.ts';
export {
  type ChunkEmbeddings,
  type IndexQuotas,
  LOG_RETENTION,
  type PreparedDocument,
  prepareDocument,
} from './document-store.ts';
export { embeddingText, indexDocument, reembedNamespace } from './embed-document.ts';
export {
  EmbedderMismatchError,
  IndexTooLargeError,
  IndexWriteConflictError,
  InvalidIndexInputError,
} from './errors.ts';
export { KNOWLEDGE_BASE_NAMESPACE, memoryNamespace } from './keys.ts';
export {
  KnowledgeIndex,
  type KnowledgeIndexOptions,
  type NamespaceView,
  type PendingView,
  SNAPSHOT_REWRITE_AFTER,
} from './knowledge-index.ts';
export { type SearchOptions, searchKnowledge } from './search-knowledge.ts';
export {
  type SearchRequest,
  type SearchResponse,
  searchRequestSchema,
  searchResponseSchema,
  searchResultSchema,
  vectorWeightSchema,
} from './search-schema.ts';
export type { SnapshotWriteOutcome } from './snapshot-store.ts';
export { tokenize } from './tokenizer.ts';
export type {
  ChunkInput,
  DocumentInput,
  DocumentRecord,
  EmbedderIdentity,
  NamespaceRef,
  PageRange,
  SearchFilter,
  SearchHit,
  SearchMode,
  SearchQuery,
  StoredChunk,
} from './types.ts';
