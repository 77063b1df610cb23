import type { ChatContext } from './context.ts';

/** One message of a model request. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface ChatModelRequest {
  /** The assembled prompt, for a model. */
  messages: ChatMessage[];
  /** The same context unassembled, for the offline answerer, which quotes it. */
  context: ChatContext;
  maxAnswerTokens: number;
  /** Epoch ms by which the answer must be complete; retries never reach past it. */
  deadline?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Called with each piece of the answer as it is written. */
  onDelta?: ((text: string) => void) | undefined;
}

export interface ChatModelAnswer {
  text: string;
  /** The model that answered, as it named itself. */
  model: string;
  usage: TokenUsage;
}

/**
 * Writes an answer to a prompt, streaming it piece by piece. Implementations: an
 * OpenAI-compatible chat model, and the offline answerer used when no model key is set.
 *
 * @example
 * ```ts
 * const model = getChatModel(config);
 * const answer = await model.answer({ messages, context, maxAnswerTokens: 1024, onDelta: write });
 * ```
 */
export interface ChatModel {
  readonly mode: 'model' | 'offline';
  /** The configured model name (`offline-extractive` offline). */
  readonly name: string;
  answer(request: ChatModelRequest): Promise<ChatModelAnswer>;
}
