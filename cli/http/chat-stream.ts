import { CliError } from '../errors.ts';
import type { ApiClient } from './client.ts';
import { readServerSentEvents } from './sse.ts';
import type { ChatDone, ChatMeta } from './types.ts';

/** The body of `POST /v1/chat`. */
export interface ChatRequest {
  message: string;
  userId?: string | undefined;
  conversationId?: string | undefined;
  k?: number | undefined;
  memory?: boolean | undefined;
}

export interface StreamedTurn {
  meta: ChatMeta | undefined;
  done: ChatDone | undefined;
  /** What arrived of the answer, all of it unless the turn was stopped. */
  text: string;
  stopped: boolean;
}

export interface TurnHooks {
  onMeta?(meta: ChatMeta): void;
  onDelta?(text: string): void;
  signal?: AbortSignal;
}

/**
 * One chat turn over server-sent events: `meta`, then `delta`s as the model writes, then
 * `done`. Aborting `signal` stops reading and drops the connection; the platform stores a
 * turn only once its answer is complete, so a stopped turn leaves nothing behind.
 */
export async function streamChatTurn(
  client: ApiClient,
  request: ChatRequest,
  hooks: TurnHooks = {},
): Promise<StreamedTurn> {
  const turn: StreamedTurn = { meta: undefined, done: undefined, text: '', stopped: false };
  try {
    const response = await client.stream({
      method: 'POST',
      path: '/v1/chat',
      body: request,
      scope: 'chat',
      ...(hooks.signal ? { signal: hooks.signal } : {}),
    });
    if (!response.body) throw new CliError('The chat answer had no body.', { code: 'bad_stream' });
    for await (const event of readServerSentEvents(response.body)) {
      const data = JSON.parse(event.data) as Record<string, unknown>;
      if (event.event === 'meta') {
        turn.meta = data as unknown as ChatMeta;
        hooks.onMeta?.(turn.meta);
      } else if (event.event === 'delta') {
        const text = String(data.text ?? '');
        turn.text += text;
        hooks.onDelta?.(text);
      } else if (event.event === 'done') {
        turn.done = data as unknown as ChatDone;
      } else if (event.event === 'error') {
        const failed = data as {
          error?: { code?: string; message?: string; requestId?: string };
          retryAfterSeconds?: number;
        };
        const retry =
          failed.retryAfterSeconds !== undefined
            ? ` A retry in ${failed.retryAfterSeconds} s is safe: nothing of this turn was stored.`
            : '';
        throw new CliError(
          `The answer failed (${failed.error?.code ?? 'error'}): ${failed.error?.message ?? 'no detail'}${retry}`,
          { code: failed.error?.code ?? 'stream_error' },
        );
      }
    }
  } catch (error) {
    if (hooks.signal?.aborted) return { ...turn, stopped: true };
    throw error;
  }
  if (!turn.done && !hooks.signal?.aborted) {
    throw new CliError('The answer stream ended before it was complete; a retry is safe.', {
      code: 'stream_incomplete',
    });
  }
  return { ...turn, stopped: Boolean(hooks.signal?.aborted) };
}
