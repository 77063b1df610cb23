import OpenAI from 'openai';
import type { Config } from '../../platform/config/index.ts';
import type { Embedder } from './embedder.ts';
import { createOfflineEmbedder } from './offline-embedder.ts';
import { createOpenAiEmbedder } from './openai-embedder.ts';

/**
 * The embedder the configuration asks for: OpenAI's (model, `dimensions`, base URL and
 * batch limits from config) when an API key is set, the offline embedder otherwise.
 * Pass `client` to share an `openai` client the caller already made.
 */
export function createEmbedder(config: Config, client?: OpenAI): Embedder {
  const { openai } = config;
  if (!openai.apiKey) return createOfflineEmbedder(openai.embeddingDimensions);
  return createOpenAiEmbedder({
    client:
      client ??
      new OpenAI({
        apiKey: openai.apiKey,
        baseURL: openai.baseUrl,
        timeout: openai.timeoutMs,
        // Retries happen in the embedder, bounded by the request's deadline.
        maxRetries: 0,
      }),
    model: openai.embeddingModel,
    dimensions: openai.embeddingDimensions,
    limits: { maxInputs: openai.batchMaxInputs, maxTokens: openai.batchMaxTokens },
    timeoutMs: openai.timeoutMs,
    maxRetries: openai.maxRetries,
  });
}
