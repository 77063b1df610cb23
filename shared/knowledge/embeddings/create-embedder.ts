import type { Config } from '../../platform/config/index.ts';
import { sharedOpenAiClient } from '../../platform/model/openai-client.ts';
import type { Embedder } from './embedder.ts';
import { createOfflineEmbedder } from './offline-embedder.ts';
import { createOpenAiEmbedder } from './openai-embedder.ts';

/**
 * The embedder the configuration asks for: OpenAI's (model, `dimensions`, base URL and
 * batch limits from config) when an API key is set, the offline embedder otherwise. The
 * `openai` SDK is loaded by the first embeddings request, not at cold start.
 */
export function createEmbedder(config: Config): Embedder {
  const { openai } = config;
  if (!openai.apiKey) return createOfflineEmbedder(openai.embeddingDimensions);
  return createOpenAiEmbedder({
    client: sharedOpenAiClient(openai),
    model: openai.embeddingModel,
    dimensions: openai.embeddingDimensions,
    limits: { maxInputs: openai.batchMaxInputs, maxTokens: openai.batchMaxTokens },
    timeoutMs: openai.timeoutMs,
    maxRetries: openai.maxRetries,
  });
}
