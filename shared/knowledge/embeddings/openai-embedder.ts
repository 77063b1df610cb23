import type OpenAI from 'openai';
import { loadOpenAiSdk } from '../../platform/model/openai-client.ts';
import { classifyOpenAiError, toModelError } from '../../platform/model/openai-errors.ts';
import { retryWithinDeadline } from '../../platform/model/retry-within-deadline.ts';
import { type BatchLimits, planBatches } from './batches.ts';
import { type Embedder, type EmbedOptions, normalise } from './embedder.ts';
import { EmbeddingResponseError } from './errors.ts';
import { loadTokenizer } from './load-tokenizer.ts';

/** The longest input the OpenAI embedding models accept, in tokens. */
export const MAX_INPUT_TOKENS = 8191;

export interface OpenAiEmbedderOptions {
  /** The shared client, created on first use (see `lazyOpenAiClient`). */
  client: () => Promise<OpenAI>;
  model: string;
  dimensions: number;
  limits: BatchLimits;
  /** Longest one embeddings request may take. */
  timeoutMs: number;
  /** Retries of a failed request, as far as the caller's deadline allows. */
  maxRetries: number;
}

/**
 * An {@link Embedder} backed by an OpenAI-compatible embeddings API. Inputs are sent in
 * as few requests as the batch limits allow (counted with the cl100k tokenizer the
 * `text-embedding-3` models use), one request at a time so a large upload cannot burst
 * past the provider's rate limit. An input longer than {@link MAX_INPUT_TOKENS} is cut
 * to that length. Provider outages, timeouts and 429/5xx answers surface as
 * `ModelUnavailableError` once the retries that fit before the caller's deadline are spent.
 */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const { client, model, dimensions, limits } = options;
  const retry = { attemptTimeoutMs: options.timeoutMs, maxRetries: options.maxRetries };
  return {
    id: `openai:${model}`,
    dimensions,
    async embed(texts, embedOptions: EmbedOptions = {}) {
      const inputs = texts.map((text) => (text === '' ? ' ' : text));
      // cl100k is a byte-level BPE, so a token covers at least one UTF-8 byte: inputs whose
      // bytes fit the limits need no tokenizer (loading it costs ~70 ms). Counting
      // characters instead would undercount CJK text and emoji up to threefold.
      const bytes = inputs.map((input) => Buffer.byteLength(input, 'utf8'));
      const total = bytes.reduce((sum, count) => sum + count, 0);
      const short = total <= limits.maxTokens && bytes.every((count) => count <= MAX_INPUT_TOKENS);
      const counts = short ? bytes : await countAndFit(inputs);
      const vectors: Float32Array[] = new Array(inputs.length);
      for (const batch of planBatches(counts, limits)) {
        const response = await requestEmbeddings(
          client,
          { model, dimensions, input: batch.map((index) => inputs[index] as string) },
          { ...retry, deadline: embedOptions.deadline, signal: embedOptions.signal },
        );
        batch.forEach((inputIndex, position) => {
          vectors[inputIndex] = response[position] as Float32Array;
        });
      }
      return vectors;
    },
  };
}

async function requestEmbeddings(
  getClient: () => Promise<OpenAI>,
  body: { model: string; dimensions: number; input: string[] },
  retry: {
    attemptTimeoutMs: number;
    maxRetries: number;
    deadline: number | undefined;
    signal: AbortSignal | undefined;
  },
): Promise<Float32Array[]> {
  const { dimensions, input } = body;
  const [client, sdk] = await Promise.all([getClient(), loadOpenAiSdk()]);
  let response: OpenAI.Embeddings.CreateEmbeddingResponse;
  try {
    response = await retryWithinDeadline(
      (timeout) =>
        client.embeddings.create(body, {
          timeout,
          maxRetries: 0,
          ...(retry.signal ? { signal: retry.signal } : {}),
        }),
      { ...retry, classify: (error) => classifyOpenAiError(error, sdk) },
    );
  } catch (error) {
    throw toModelError(error, sdk);
  }
  if (response.data.length !== input.length) {
    throw new EmbeddingResponseError(`${response.data.length} vectors for ${input.length} inputs`);
  }
  const ordered = [...response.data].sort((a, b) => a.index - b.index);
  return ordered.map((item) => {
    if (item.embedding.length !== dimensions) {
      throw new EmbeddingResponseError(
        `vector of ${item.embedding.length} values, expected ${dimensions}`,
      );
    }
    return normalise(Float32Array.from(item.embedding));
  });
}

/** Token counts of the inputs, cutting (in place) any longer than the model accepts. */
async function countAndFit(inputs: string[]): Promise<number[]> {
  const { countTokens, decode, encode } = await loadTokenizer();
  return inputs.map((input, index) => {
    if (input.length <= MAX_INPUT_TOKENS) return countTokens(input);
    const tokens = encode(input);
    if (tokens.length <= MAX_INPUT_TOKENS) return tokens.length;
    inputs[index] = decode(tokens.slice(0, MAX_INPUT_TOKENS));
    return MAX_INPUT_TOKENS;
  });
}
