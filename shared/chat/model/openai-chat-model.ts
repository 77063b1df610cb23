import type OpenAI from 'openai';
import { DeadlineExceededError, ModelUnavailableError } from '../../platform/errors/index.ts';
import { loadOpenAiSdk } from '../../platform/model/openai-client.ts';
import { classifyOpenAiError, toModelError } from '../../platform/model/openai-errors.ts';
import { retryWithinDeadline } from '../../platform/model/retry-within-deadline.ts';
import type { ChatModel, ChatModelAnswer, ChatModelRequest, TokenUsage } from './chat-model.ts';

export interface OpenAiChatModelOptions {
  /** The shared client, created on first use (see `lazyOpenAiClient`). */
  client: () => Promise<OpenAI>;
  model: string;
  /** Longest one model request may take, and longest a stream may go quiet. */
  timeoutMs: number;
  /** Retries of a failed request, as far as the caller's deadline allows. */
  maxRetries: number;
}

/** Seconds a caller is told to wait after an answer failed once it had started. */
const RETRY_AFTER_BROKEN_STREAM_SECONDS = 5;

/** The stream sent nothing for a whole attempt timeout. */
class ModelStalledError extends Error {
  constructor() {
    super('The model stream went quiet.');
    this.name = 'ModelStalledError';
  }
}

/** The model finished without writing any text (a filter, or its token budget spent). */
class EmptyAnswerError extends Error {
  constructor() {
    super('The model answered with no text.');
    this.name = 'EmptyAnswerError';
  }
}

/**
 * A {@link ChatModel} backed by an OpenAI-compatible chat completions API, streamed.
 *
 * A failure before the first piece of the answer (429, 5xx, a timeout, a lost
 * connection, a stream that goes quiet, an empty answer) is retried with backoff while a
 * useful attempt still fits before the deadline. Once text has reached the caller a
 * retry would repeat it, so a later failure, a stream quiet for `timeoutMs` included,
 * ends the answer as `ModelUnavailableError`. The SDK's own timeout ends at the response
 * headers; the quiet-stream timer covers the body.
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
            classify: (error) => {
              if (streamed) return { retryable: false };
              if (error instanceof ModelStalledError || error instanceof EmptyAnswerError) {
                return { retryable: true };
              }
              return classifyOpenAiError(error, sdk);
            },
          },
        );
      } catch (error) {
        if (request.signal?.aborted) throw abortReason(request.signal);
        if (streamed || error instanceof ModelStalledError || error instanceof EmptyAnswerError) {
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
  const quiet = new AbortController();
  let timer = setTimeout(() => quiet.abort(new ModelStalledError()), timeout);
  const heard = () => {
    clearTimeout(timer);
    timer = setTimeout(() => quiet.abort(new ModelStalledError()), timeout);
  };
  const signal = request.signal ? AbortSignal.any([request.signal, quiet.signal]) : quiet.signal;
  let text = '';
  let answeredBy = model;
  let usage: TokenUsage | undefined;
  try {
    const stream = await client.chat.completions.create(
      {
        model,
        messages: request.messages,
        max_completion_tokens: request.maxAnswerTokens,
        stream: true,
        stream_options: { include_usage: true },
      },
      { timeout, maxRetries: 0, signal },
    );
    for await (const chunk of stream) {
      heard();
      if (chunk.model) answeredBy = chunk.model;
      if (chunk.usage) usage = toUsage(chunk.usage);
      const piece = chunk.choices[0]?.delta?.content;
      if (piece) {
        if (text === '') onFirstDelta();
        text += piece;
        request.onDelta?.(piece);
      }
    }
    // The SDK ends an aborted stream as if it had finished: the abort is ours to raise.
    signal.throwIfAborted();
  } catch (error) {
    if (quiet.signal.aborted) throw quiet.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
  if (text.trim() === '') throw new EmptyAnswerError();
  return {
    text,
    model: answeredBy,
    usage: usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
  };
}

/** What an aborted turn ends with: the deadline's 503, or the caller's own reason. */
function abortReason(signal: AbortSignal): unknown {
  const reason: unknown = signal.reason;
  if (reason instanceof DOMException && reason.name === 'TimeoutError') {
    return new DeadlineExceededError();
  }
  return reason;
}

function toUsage(usage: OpenAI.CompletionUsage): TokenUsage {
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
  };
}
