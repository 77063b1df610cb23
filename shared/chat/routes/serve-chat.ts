import { toErrorBody } from '../../platform/http/error-response.ts';
import { ValidationError } from '../../platform/http/errors.ts';
import { logFailure } from '../../platform/http/log-failure.ts';
import type { RouteInput, RouteResult } from '../../platform/http/route.ts';
import {
  createEventStream,
  SERVER_SENT_EVENT_HEADERS,
} from '../../platform/http/server-sent-events.ts';
import { logger } from '../../platform/logging/logger.ts';
import { keyIdOf, type Principal, tenantOf } from '../../platform/principal/index.ts';
import type { Services } from '../../platform/services.ts';
import type { ChatTurnResult } from '../turn/result.ts';
import { type ChatTurnRequest, runChatTurn } from '../turn/run-chat-turn.ts';
import { apiUserId } from './api-user.ts';
import { type chatRoute, IDEMPOTENCY_KEY_PATTERN } from './chat.ts';

/**
 * Serves `POST /v1/chat`: the turn answered whole as JSON, or, when the caller accepts
 * `text/event-stream`, as server-sent events. The stream starts only once retrieval is
 * done (the `meta` event), so anything that fails before it (a bad conversation id, a
 * 409, Redis down) is the usual JSON error with its status; a failure after it is an
 * `error` event carrying the same error body.
 */
export async function serveChat(input: RouteInput<typeof chatRoute>): Promise<RouteResult> {
  const { body, principal, services, deadline, signal, requestId, event } = input;
  const headers = event.headers ?? {};
  const request = turnRequest(principal, body, headers['idempotency-key']);
  if (!acceptsEventStream(headers.accept)) {
    const result = await runChatTurn(services, request, { deadline, signal });
    return { status: 200, body: result };
  }
  return streamTurn(services, request, { deadline, signal, requestId });
}

async function streamTurn(
  services: Services,
  request: ChatTurnRequest,
  { deadline, signal, requestId }: { deadline: number; signal: AbortSignal; requestId: string },
): Promise<RouteResult> {
  const events = createEventStream();
  let started: () => void = () => {};
  const metaSent = new Promise<void>((resolve) => {
    started = resolve;
  });
  // Once the stream has started, the function's own early timeout no longer runs (the
  // handler has returned): the turn carries the deadline in its signal instead, and stops,
  // storing nothing, when the client goes away (Ctrl-C in the CLI, a closed tab).
  const withDeadline = AbortSignal.any([
    signal,
    events.closed,
    AbortSignal.timeout(Math.max(0, deadline - Date.now())),
  ]);
  const turn = runChatTurn(services, request, {
    deadline,
    signal: withDeadline,
    onMeta: (meta) => {
      events.send({ event: 'meta', data: meta });
      started();
    },
    onDelta: (text) => events.send({ event: 'delta', data: { text } }),
  });
  // Before `meta`, a failure is still an ordinary error response.
  await Promise.race([metaSent, turn]);
  turn.then(
    (result) => {
      events.send({ event: 'done', data: doneEvent(result) });
      events.end();
    },
    (error: unknown) => {
      if (events.closed.aborted) {
        logger.info('chat stream closed by the client; the turn was stopped', { requestId });
        return;
      }
      const { statusCode, body, headers } = toErrorBody(error, requestId);
      logFailure(statusCode, requestId, error);
      const retryAfter = Number(headers['retry-after']);
      events.send({
        event: 'error',
        data: Number.isFinite(retryAfter) ? { ...body, retryAfterSeconds: retryAfter } : body,
      });
      events.end();
    },
  );
  return { status: 200, headers: { ...SERVER_SENT_EVENT_HEADERS }, stream: events.body };
}

function doneEvent(result: ChatTurnResult) {
  return {
    conversationId: result.conversationId,
    messageId: result.messageId,
    citations: result.citations,
    usage: result.usage,
  };
}

function turnRequest(
  principal: Principal,
  body: RouteInput<typeof chatRoute>['body'],
  idempotencyKey: string | undefined,
): ChatTurnRequest {
  const { userId, message, conversationId, k, memory, memoryK, filter, vectorWeight } = body;
  return {
    tenant: tenantOf(principal),
    userId: apiUserId(principal, userId),
    message,
    conversationId,
    k,
    memory,
    memoryK,
    filter,
    vectorWeight,
    idempotency: idempotencyOf(principal, idempotencyKey),
  };
}

function idempotencyOf(principal: Principal, key: string | undefined) {
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ValidationError([
      {
        path: 'headers.idempotency-key',
        message: 'must be 1-128 letters, digits or . _ : -',
      },
    ]);
  }
  return { scope: keyIdOf(principal) ?? 'anonymous', key };
}

function acceptsEventStream(accept: string | undefined): boolean {
  return accept?.toLowerCase().includes('text/event-stream') ?? false;
}
