import type { Services } from '../../platform/services.ts';
import { type Embedder, getEmbedder } from '../embeddings/index.ts';
import { getKnowledgeIndex } from './container.ts';
import { KNOWLEDGE_BASE_NAMESPACE } from './keys.ts';
import type { KnowledgeIndex } from './knowledge-index.ts';
import { fitSearchResults } from './search-response-budget.ts';
import type { SearchRequest, SearchResponse } from './search-schema.ts';

/** By default the container's index and embedder are used; tests and tools may pass theirs. */
export interface SearchOptions {
  index?: KnowledgeIndex;
  embedder?: Embedder;
  /** The request's deadline (epoch ms), which bounds the query embedding's retries. */
  deadline?: number;
}

/**
 * Serves `POST /v1/search` for a tenant's knowledge base: embeds the query (not in
 * lexical mode) while checking the index's freshness, so it costs one embeddings
 * request and one Redis round trip when the container is warm.
 */
export async function searchKnowledge(
  services: Pick<Services, 'config' | 'redis'>,
  tenant: string,
  request: SearchRequest,
  options: SearchOptions = {},
): Promise<SearchResponse> {
  const index = options.index ?? getKnowledgeIndex(services);
  const embedder = options.embedder ?? getEmbedder(services.config);
  const ref = { tenant, namespace: KNOWLEDGE_BASE_NAMESPACE };
  const [view, vector] = await Promise.all([
    index.view(ref),
    request.mode === 'lexical'
      ? undefined
      : embedder.embed([request.query], { deadline: options.deadline }).then(([first]) => first),
  ]);
  const hits = await view.search({
    text: request.query,
    ...(vector ? { vector, embedder: { id: embedder.id, dimensions: embedder.dimensions } } : {}),
    k: request.k,
    mode: request.mode,
    ...(request.vectorWeight === undefined ? {} : { vectorWeight: request.vectorWeight }),
    ...(request.filter ? { filter: request.filter } : {}),
  });
  return {
    mode: request.mode,
    indexVersion: view.version,
    vectorWeight: request.mode === 'hybrid' ? (request.vectorWeight ?? view.vectorWeight) : null,
    // Bounded in bytes, so no `k` and no stored content can pass Lambda's response limit.
    results: fitSearchResults(
      hits.map(({ vectorScore, lexicalScore, ...hit }) => ({
        ...hit,
        textOmitted: false,
        scores: { vector: vectorScore, lexical: lexicalScore },
      })),
    ),
  };
}
