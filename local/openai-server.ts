import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { offlineEmbedding } from '#shared/knowledge/embeddings/offline-embedder.ts';

/**
 * A local OpenAI-compatible HTTP server (chat completions, streaming included, and
 * embeddings) for tests, benchmarks and offline development. It records every request
 * so callers can count them, and can be told to fail (status codes or hangs).
 */
export interface LocalOpenAiServer {
  /** Base URL to give the `openai` client, ending in `/v1`. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly requests: readonly RecordedRequest[];
  /** Requests whose path ends with the given suffix, e.g. `/embeddings`. */
  requestsTo(pathSuffix: string): RecordedRequest[];
  clearRequests(): void;
  /** The next `times` requests (to paths matching `path`, if given) fail as described. */
  failNext(fault: Fault): void;
  /** Replaces how chat completions are answered. */
  setChatResponder(responder: ChatResponder): void;
  close(): Promise<void>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  /** From the request's arrival to the last byte of the answer; set once it is sent. */
  durationMs?: number;
}

export type Fault =
  | { kind: 'status'; status: number; times?: number; path?: string; retryAfterSeconds?: number }
  | { kind: 'hang'; ms: number; times?: number; path?: string }
  /** A streamed completion that stops halfway: the connection drops after some deltas. */
  | { kind: 'cut-stream'; times?: number; path?: string }
  /** A streamed completion that goes quiet for `ms` after `afterPieces` deltas (default 0). */
  | { kind: 'stall-stream'; ms: number; afterPieces?: number; times?: number; path?: string }
  /** A streamed completion whose deltas come `msPerDelta` apart, as a slow model writes. */
  | { kind: 'slow-stream'; msPerDelta: number; times?: number; path?: string };

export interface ChatMessage {
  role: string;
  content: string;
}
export type ChatResponder = (messages: ChatMessage[], body: Record<string, unknown>) => string;

export interface StartOpenAiOptions {
  apiKey?: string;
  port?: number;
}

const defaultResponder: ChatResponder = (messages) => {
  const last = [...messages].reverse().find((message) => message.role === 'user');
  return `Local model reply to: ${last?.content.slice(0, 200) ?? ''}`;
};

export async function startOpenAiServer(
  options: StartOpenAiOptions = {},
): Promise<LocalOpenAiServer> {
  const apiKey = options.apiKey ?? 'sk-local-test-key';
  const requests: RecordedRequest[] = [];
  let faults: (Fault & { remaining: number })[] = [];
  let responder = defaultResponder;

  const server = createServer((req, res) => {
    const arrived = performance.now();
    handle(req, res, arrived).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, apiError(String(error), 'server_error'));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, arrived: number): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw) : undefined;
    } catch {
      sendJson(res, 400, apiError('Body is not valid JSON', 'invalid_request_error'));
      return;
    }
    const record: RecordedRequest = { method: req.method ?? 'GET', path, body };
    requests.push(record);
    res.once('finish', () => {
      record.durationMs = performance.now() - arrived;
    });

    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      sendJson(res, 401, apiError('Incorrect API key provided', 'invalid_request_error'));
      return;
    }
    const fault = takeFault(path);
    if (
      fault?.kind === 'cut-stream' ||
      fault?.kind === 'stall-stream' ||
      fault?.kind === 'slow-stream'
    ) {
      const request = body as Record<string, unknown>;
      const content = responder((request.messages ?? []) as ChatMessage[], request);
      streamCompletion(res, String(request.model), content, {
        cut: fault.kind === 'cut-stream',
        ...(fault.kind === 'stall-stream'
          ? { stall: { ms: fault.ms, afterPieces: fault.afterPieces ?? 0 } }
          : {}),
        ...(fault.kind === 'slow-stream' ? { msPerDelta: fault.msPerDelta } : {}),
      });
      return;
    }
    if (fault?.kind === 'hang') {
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
    } else if (fault?.kind === 'status') {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(fault.retryAfterSeconds);
      sendJson(
        res,
        fault.status,
        apiError(`Injected fault ${fault.status}`, 'server_error'),
        headers,
      );
      return;
    }
    if (res.destroyed) return;

    if (req.method === 'POST' && path.endsWith('/embeddings')) {
      sendJson(res, 200, embeddingsResponse(body as Record<string, unknown>));
      return;
    }
    if (req.method === 'POST' && path.endsWith('/chat/completions')) {
      const request = body as Record<string, unknown>;
      const messages = (request.messages ?? []) as ChatMessage[];
      const content = responder(messages, request);
      if (request.stream === true) {
        const usage = (request.stream_options as { include_usage?: boolean } | undefined)
          ?.include_usage
          ? usageOf(messages, content)
          : undefined;
        streamCompletion(res, String(request.model), content, { usage });
      } else sendJson(res, 200, completionResponse(String(request.model), content, messages));
      return;
    }
    sendJson(res, 404, apiError(`Unknown path ${path}`, 'invalid_request_error'));
  }

  function takeFault(path: string): Fault | undefined {
    const index = faults.findIndex((fault) => !fault.path || path.endsWith(fault.path));
    if (index < 0) return undefined;
    const fault = faults[index] as Fault & { remaining: number };
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults = faults.filter((_, i) => i !== index);
    return fault;
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    requestsTo: (suffix) => requests.filter((request) => request.path.endsWith(suffix)),
    clearRequests: () => {
      requests.length = 0;
    },
    failNext: (fault) => {
      faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    setChatResponder: (next) => {
      responder = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Deterministic embedding, the same as the platform's offline embedder, so vectors from
 * this server and from offline mode are interchangeable.
 */
export function localEmbedding(text: string, dimensions: number): Float32Array {
  return offlineEmbedding(text, dimensions);
}

function embeddingsResponse(body: Record<string, unknown>) {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 1536;
  const base64 = body.encoding_format === 'base64';
  let tokens = 0;
  const data = inputs.map((input, index) => {
    const text = String(input);
    tokens += Math.ceil(text.length / 4);
    const vector = localEmbedding(text, dimensions);
    return {
      object: 'embedding',
      index,
      embedding: base64 ? Buffer.from(vector.buffer).toString('base64') : Array.from(vector),
    };
  });
  return {
    object: 'list',
    model: body.model,
    data,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

function usageOf(messages: ChatMessage[], content: string) {
  const promptTokens = Math.ceil(JSON.stringify(messages).length / 4);
  const completionTokens = Math.ceil(content.length / 4);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

function completionResponse(model: string, content: string, messages: ChatMessage[]) {
  return {
    id: `chatcmpl-local-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null },
    ],
    usage: usageOf(messages, content),
  };
}

function streamCompletion(
  res: ServerResponse,
  model: string,
  content: string,
  options: {
    usage?: ReturnType<typeof usageOf> | undefined;
    cut?: boolean;
    stall?: { ms: number; afterPieces: number } | undefined;
    msPerDelta?: number;
  },
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const id = `chatcmpl-local-${Date.now()}`;
  const created = Math.floor(Date.now() / 1000);
  const pieces = content.match(/\S+\s*/g) ?? [content];
  const frame = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  res.write(frame({ role: 'assistant', content: '' }, null));
  if (options.cut) {
    for (const piece of pieces.slice(0, Math.ceil(pieces.length / 2))) {
      res.write(frame({ content: piece }, null));
    }
    // Flushed, then dropped: the client has seen deltas and then loses the connection.
    setTimeout(() => res.destroy(), 20);
    return;
  }
  const finish = () => {
    res.write(frame({}, 'stop'));
    if (options.usage) {
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: options.usage })}\n\n`,
      );
    }
    res.end('data: [DONE]\n\n');
  };
  if (options.stall) {
    const { ms, afterPieces } = options.stall;
    for (const piece of pieces.slice(0, afterPieces)) res.write(frame({ content: piece }, null));
    setTimeout(() => {
      if (res.destroyed) return;
      for (const piece of pieces.slice(afterPieces)) res.write(frame({ content: piece }, null));
      finish();
    }, ms);
    return;
  }
  if (options.msPerDelta === undefined) {
    for (const piece of pieces) res.write(frame({ content: piece }, null));
    finish();
    return;
  }
  // One delta per tick; stops writing once the client has gone.
  const ms = options.msPerDelta;
  const next = (index: number) => {
    if (res.destroyed) return;
    const piece = pieces[index];
    if (piece === undefined) return finish();
    res.write(frame({ content: piece }, null));
    setTimeout(() => next(index + 1), ms);
  };
  next(0);
}

function apiError(message: string, type: string) {
  return { error: { message, type, param: null, code: null } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}
