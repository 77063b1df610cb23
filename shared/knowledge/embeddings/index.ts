export { type BatchLimits, planBatches } from './batches.ts';
export { getEmbedder } from './container.ts';
export { createEmbedder } from './create-embedder.ts';
export { type Embedder, type EmbedOptions, normalise } from './embedder.ts';
export { EmbeddingResponseError } from './errors.ts';
export { loadTokenizer, type Tokenizer } from './load-tokenizer.ts';
export {
  createOfflineEmbedder,
  OFFLINE_EMBEDDER_ID,
  offlineEmbedding,
} from './offline-embedder.ts';
export {
  createOpenAiEmbedder,
  MAX_INPUT_TOKENS,
  type OpenAiEmbedderOptions,
} from './openai-embedder.ts';
