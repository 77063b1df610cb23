import { chunkDocument } from '#shared/knowledge/documents/chunking/chunk-document.ts';
import type { Embedder } from '#shared/knowledge/embeddings/index.ts';
import { prepareDocument } from '#shared/knowledge/index/document-store.ts';
import { embeddingText } from '#shared/knowledge/index/embed-document.ts';
import { NamespaceSnapshot } from '#shared/knowledge/index/namespace-snapshot.ts';
import { rankChunks } from '#shared/knowledge/index/rank.ts';
import type { ChunkInput, SearchQuery } from '#shared/knowledge/index/types.ts';
import type { CollectionDocument, CollectionQuery, TestCollection } from './collections.ts';
import { averagePrecision, ndcgAt, recallAt } from './metrics.ts';

/** Chunks ranked per query for MAP; documents are ranked by their best chunk. */
const MAP_DEPTH_CHUNKS = 100;

export interface ModeScores {
  ndcg10: number;
  recall10: number;
  map: number;
}

/** A collection indexed in memory with one embedder, ready to be searched. */
export interface IndexedCollection {
  collection: TestCollection;
  embedder: Embedder;
  snapshot: NamespaceSnapshot;
  queryVectors: Float32Array[];
}

/**
 * Indexes a collection the way ingestion does (default chunking, the embedding text of
 * {@link embeddingText}, int8 vectors, BM25 over title, headings and text), in memory.
 */
export async function indexCollection(
  collection: TestCollection,
  embedder: Embedder,
): Promise<IndexedCollection> {
  const identity = { id: embedder.id, dimensions: embedder.dimensions };
  const snapshot = new NamespaceSnapshot(embedder.dimensions, 0, identity);
  for (const document of collection.documents) {
    const chunks = documentChunks(document);
    const vectors = await embedder.embed(
      chunks.map((chunk) => embeddingText(document.title, chunk)),
    );
    const record = {
      id: document.id,
      title: document.title,
      source: collection.name,
      contentHash: document.id,
    };
    snapshot.upsert(prepareDocument(record, chunks, { embedder: identity, vectors }).loaded);
  }
  const queryVectors = await embedder.embed(collection.queries.map((query) => query.text));
  return { collection, embedder, snapshot, queryVectors };
}

/** A collection document cut into chunks with ingestion's default chunking. */
export function documentChunks(document: CollectionDocument): ChunkInput[] {
  return chunkDocument({
    type: 'text',
    title: document.title,
    metadata: {},
    text: document.text,
    pages: [],
    sections: [],
  }).map((chunk) => ({
    text: chunk.text,
    headingPath: document.headingPath,
    pageRange: null,
    offsets: { start: chunk.start, end: chunk.end },
  }));
}

/**
 * Mean nDCG@10, recall@10 and MAP of one way of searching over every query. The @10
 * figures come from a top-10 search, as the API and the chat run it (fusion's candidate
 * pool depends on k); MAP from a top-100 search.
 */
export function scoreMode(
  indexed: IndexedCollection,
  query: Pick<SearchQuery, 'mode' | 'vectorWeight'>,
): ModeScores {
  const { collection, snapshot, queryVectors, embedder } = indexed;
  const rankedDocuments = (index: number, k: number) => {
    const hits = rankChunks(snapshot, {
      ...query,
      text: (collection.queries[index] as CollectionQuery).text,
      vector: queryVectors[index] as Float32Array,
      embedder: { id: embedder.id, dimensions: embedder.dimensions },
      k,
    });
    return [...new Set(hits.map((hit) => hit.documentId))];
  };
  const totals = { ndcg10: 0, recall10: 0, map: 0 };
  collection.queries.forEach(({ judgments }, index) => {
    const top = rankedDocuments(index, 10);
    totals.ndcg10 += ndcgAt(10, top, judgments);
    totals.recall10 += recallAt(10, top, judgments);
    totals.map += averagePrecision(rankedDocuments(index, MAP_DEPTH_CHUNKS), judgments);
  });
  const count = collection.queries.length;
  return {
    ndcg10: totals.ndcg10 / count,
    recall10: totals.recall10 / count,
    map: totals.map / count,
  };
}
