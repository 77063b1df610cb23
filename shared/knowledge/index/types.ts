/** Pages a chunk spans, 1-based and inclusive. */
export interface PageRange {
  from: number;
  to: number;
}

/** One chunk of a document as ingestion hands it to the index. */
export interface ChunkInput {
  text: string;
  /** Headings above the chunk, outermost first. */
  headingPath: string[];
  pageRange: PageRange | null;
  /** Character offsets into the document's extracted text, end exclusive. */
  offsets: { start: number; end: number };
  /** Flat string metadata of this chunk; merged over the document's for filtering. */
  metadata?: Record<string, string>;
}

/** A document as ingestion hands it to the index. */
export interface DocumentInput {
  id: string;
  title: string;
  /** Where it came from: a file name, URL or `slack`, `chat` and so on. */
  source: string;
  /** Hash of the extracted text, so ingestion can skip unchanged documents. */
  contentHash: string;
  /** SHA-256 (hex) of the file's bytes as uploaded, so a client can skip re-sending it. */
  fileSha256?: string | undefined;
  metadata?: Record<string, string>;
}

/** What the index keeps about a document. */
export interface DocumentRecord {
  id: string;
  title: string;
  source: string;
  contentHash: string;
  /** Absent for documents indexed before it was recorded, and for memory entries. */
  fileSha256?: string;
  metadata: Record<string, string>;
  chunkCount: number;
  embedder: string;
  dimensions: number;
  /** When this version of the document was indexed (ISO 8601). */
  indexedAt: string;
}

/** A chunk as stored and held in memory (its vector is kept apart). */
export interface StoredChunk {
  ordinal: number;
  text: string;
  headingPath: string[];
  pageRange: PageRange | null;
  offsets: { start: number; end: number };
  metadata: Record<string, string>;
}

/** Which embedder made a namespace's vectors. */
export interface EmbedderIdentity {
  id: string;
  dimensions: number;
}

/** Where chunks live: a tenant's knowledge base, or one user's long-term memory. */
export interface NamespaceRef {
  tenant: string;
  namespace: string;
}

export type SearchMode = 'hybrid' | 'vector' | 'lexical';

export interface SearchFilter {
  /** Only chunks of these documents. */
  documentIds?: string[];
  /** Only chunks of documents from these sources. */
  sources?: string[];
  /** Only chunks whose metadata (document's, overridden by the chunk's) has these values. */
  metadata?: Record<string, string>;
}

export interface SearchQuery {
  /** The query text, for lexical scoring and snippets. */
  text: string;
  /** The query's embedding; required for `vector` and `hybrid`. */
  vector?: Float32Array;
  /** The embedder that made `vector`; checked against the namespace's. */
  embedder?: EmbedderIdentity;
  k: number;
  mode: SearchMode;
  filter?: SearchFilter;
  /**
   * Hybrid only: the vector ranking's share of the fused score, 0 (lexical order) to 1
   * (vector order). Defaults to the embedder's weight (see `defaultVectorWeight`).
   */
  vectorWeight?: number;
}

/** One ranked chunk, with what a citation needs. */
export interface SearchHit {
  documentId: string;
  title: string;
  source: string;
  ordinal: number;
  headingPath: string[];
  pageRange: PageRange | null;
  offsets: { start: number; end: number };
  metadata: Record<string, string>;
  text: string;
  snippet: string;
  /** The ranking score: cosine (vector), BM25 (lexical) or the fused score, 0-1 (hybrid). */
  score: number;
  /** Cosine similarity to the query; `null` in lexical mode. */
  vectorScore: number | null;
  /** BM25 score (0 when no query term occurs); `null` in vector mode. */
  lexicalScore: number | null;
}
