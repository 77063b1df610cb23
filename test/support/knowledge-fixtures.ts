import { createOfflineEmbedder } from '#shared/knowledge/embeddings/offline-embedder.ts';
import {
  indexDocument,
  KNOWLEDGE_BASE_NAMESPACE,
  KnowledgeIndex,
} from '#shared/knowledge/index/index.ts';
import { createRedisClient } from '#shared/platform/redis/index.ts';
import type { RedisFixture } from './local-redis.ts';

/**
 * Indexes a one-chunk document the way ingestion does, with the offline embedder the
 * API uses when no model key is configured.
 */
export async function seedDocument(
  redis: RedisFixture,
  tenant: string,
  document: { id: string; title: string; text: string; source?: string },
): Promise<void> {
  const index = new KnowledgeIndex(createRedisClient(redis.stack));
  await indexDocument(
    index,
    createOfflineEmbedder(512),
    { tenant, namespace: KNOWLEDGE_BASE_NAMESPACE },
    {
      id: document.id,
      title: document.title,
      source: document.source ?? `${document.id}.md`,
      contentHash: `hash-${document.id}`,
    },
    [
      {
        text: document.text,
        headingPath: ['Policies'],
        pageRange: { from: 2, to: 2 },
        offsets: { start: 0, end: document.text.length },
      },
    ],
  );
}
