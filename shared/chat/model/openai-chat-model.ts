import type OpenAI from 'openai';
import { ModelUnavailableError } from '../../platform/errors/index.ts';
import { loadOpenAiSdk } from '../../platform/model/openai-client.ts';
import { classifyOpenAiError, toModelError } from '../../platform/model/openai-errors.ts';
import { retryWithinDeadline } from '../../platform/model/retry-within-deadline.ts';
import type { ChatModel, ChatModelAnswer, ChatModelRequest, TokenUsage } from './chat-model.ts';

export interface OpenAiChatModelOptions {
  /** The shared client, created on first use (see `lazyOpenAiClient`). */
  client: () => Promise<OpenAI>;
  model: string;
  /** Longest one model request may take. */
  timeoutMs: number;
  /** Retries of a failed request, as far as the caller's deadline allows. */
  maxRetries: number;
}

/** Seconds a caller is told to wait after an answer broke off mid-stream. */
const RETRY_AFTER_BROKEN_STREAM_SECONDS = 5;

/**
 * A {@link ChatModel} backed by an OpenAI-compatible chat completions API, streamed.
 * A failure before the first piece of the answer (429, 5xx, timeout, lost connection)
 * is retried with backoff while a useful attempt still fits before the deadline; once
 * text has reached the caller a retry would repeat it, so a later failure ends the
 * answer as `ModelUnavailableError` instead.
 */
export function createOpenAiChatModel(options: OpenAiChatModelOptions): ChatModel {
  return {
    mode: 'model',
    name: options.model,
    async answer(request) {
      const [client, sdk] = await Promise.all([options.client(), loadOpenAiSdk()]);
      let streamed = false;
      try {
        return await retryWithinDeadline(
          (timeout) =>
            streamOnce(client, options.model, request, timeout, () => {
              streamed = true;
            }),
          {
            attemptTimeoutMs: options.timeoutMs,
            maxRetries: options.maxRetries,
            deadline: request.deadline,
            signal: request.signal,
            classify: (error) =>
              streamed ? { retryable: false } : classifyOpenAiError(error, sdk),
          },
        );
      } catch (error) {
        if (streamed && !request.signal?.aborted) {
          throw new ModelUnavailableError(RETRY_AFTER_BROKEN_STREAM_SECONDS, { cause: error });
        }
        throw toModelError(error, sdk);
      }
    },
  };
}

async function streamOnce(
  client: OpenAI,
  model: string,
  request: ChatModelRequest,
  timeout: number,
  onFirstDelta: () => void,
): Promise<ChatModelAnswer> {
  const stream = await client.chat.completions.create(
    {
      model,
      messages: request.messages,
      max_completion_tokens: request.maxAnswerTokens,
      stream: true,
      stream_options: { include_usage: true },
    },
    { timeout, maxRetries: 0, ...(request.signal ? { signal: request.signal } : {}) },
  );
  let text = '';
  let answeredBy = model;
  let usage: TokenUsage | undefined;
  for await (const chunk of stream) {
    if (chunk.model) answeredBy = chunk.model;
    if (chunk.usage) usage = toUsage(chunk.usage);
    const piece = chunk.choices[0]?.delta?.content;
    if (piece) {
      if (text === '') onFirstDelta();
      text += piece;
      request.onDelta?.(piece);
    }
  }
  return {
    text,
    model: answeredBy,
    usage: usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
  };
}

function toUsage(usage: OpenAI.CompletionUsage): TokenUsage {
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
  };
}
