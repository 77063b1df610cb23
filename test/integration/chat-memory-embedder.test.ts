import { describe, expect, it } from 'vitest';
import { createOfflineAnswerer } from '#shared/chat/model/offline-answerer.ts';
import { runChatTurn } from '#shared/chat/turn/run-chat-turn.ts';
import { createOfflineEmbedder } from '#shared/knowledge/embeddings/index.ts';
import { KnowledgeIndex, memoryNamespace } from '#shared/knowledge/index/index.ts';
import { parseConfig } from '#shared/platform/config/index.ts';
import { createRedisClient } from '#shared/platform/redis/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const redisFixture = useLocalRedis();

describe("a user's memory after the embedder changed", () => {
  it('is re-embedded on their next turn: recalled by meaning again, and extended', async () => {
    // Prepare: the first turn remembered with one embedder (offline mode at 256 dimensions).
    const redis = createRedisClient(redisFixture.stack);
    const services = { config: parseConfig({ ...redisFixture.settings() }), redis };
    const index = new KnowledgeIndex(redis);
    const model = createOfflineAnswerer();
    const before = createOfflineEmbedder(256);
    const after = createOfflineEmbedder(512);
    const request = { tenant: 'acme', userId: 'vic' };
    await runChatTurn(
      services,
      { ...request, message: 'My badge number is B-55' },
      {},
      { index, embedder: before, model },
    );

    // Act: the platform now embeds with another embedder.
    const turn = await runChatTurn(
      services,
      { ...request, message: 'What is my badge number?' },
      {},
      { index, embedder: after, model },
    );

    // Assess
    expect(turn.memories.map((memory) => memory.text)).toEqual(['My badge number is B-55']);
    const ref = { tenant: 'acme', namespace: memoryNamespace('vic') };
    const view = await new KnowledgeIndex(redis).view(ref);
    expect(view.embedder).toEqual({ id: after.id, dimensions: 512 });
    expect(view.documentCount).toBe(2);
  });
});
