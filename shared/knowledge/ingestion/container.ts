import type { Config } from '../../platform/config/index.ts';
import type { Services } from '../../platform/services.ts';
import { DocumentExtractor } from '../documents/document-extractor.ts';
import { documentLimits } from '../documents/limits.ts';
import { getEmbedder } from '../embeddings/index.ts';
import { getKnowledgeIndex } from '../index/container.ts';
import type { IngestionDependencies } from './ingest-document.ts';

const extractors = new WeakMap<Config, DocumentExtractor>();

/**
 * What ingestion needs, built once per container: the extractor keeps an idle parsing
 * worker between invocations, the index its memory cache.
 */
export function getIngestionDependencies(services: Services): IngestionDependencies {
  let extractor = extractors.get(services.config);
  if (!extractor) {
    extractor = new DocumentExtractor({ limits: documentLimits(services.config.limits) });
    extractors.set(services.config, extractor);
  }
  return {
    extractor,
    index: getKnowledgeIndex(services),
    embedder: getEmbedder(services.config),
    maxChunks: services.config.limits.documentMaxChunks,
  };
}
