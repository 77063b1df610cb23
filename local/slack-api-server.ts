import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compareSlackTs } from '#shared/slack/ids.ts';

/**
 * A local stand-in for Slack's Web API, for tests, benchmarks and `npm run dev`: the real
 * `@slack/web-api` client is pointed at it with `SLACK_API_URL`. It keeps the messages of
 * each channel (so `conversations.replies` answers with what was posted or seeded),
 * records every call with its arguments, and fails calls on request (a Slack error code,
 * an HTTP status such as 429 with `Retry-After`, or a failure after the call took effect,
 * as when a worker loses the answer to a call Slack carried out).
 */
export interface LocalSlackApi {
  /** Base URL to give the client (`SLACK_API_URL`), ending in `/api/`. */
  readonly url: string;
  /** The bot token it accepts. */
  readonly token: string;
  /** The bot's user id, as `auth.test` and posted messages carry it. */
  readonly botUserId: string;
  readonly calls: readonly SlackCall[];
  /** Calls of one method, e.g. `chat.postMessage`. */
  callsTo(method: string): SlackCall[];
  /** The channel's messages of one thread (its parent first), as `conversations.replies` gives them. */
  thread(channel: string, threadTs: string): SlackMessage[];
  /** Adds a message someone wrote, so it is in the thread's history; returns its ts. */
  addMessage(channel: string, message: Omit<SlackMessage, 'ts'> & { ts?: string }): string;
  /** The next `times` calls (default: every call) of `method` fail as described. */
  fail(fault: SlackFault): void;
  /** Clears calls, messages and faults. */
  reset(): void;
  close(): Promise<void>;
}

/** One call as the server received it: the method and its decoded arguments. */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

/** A message as `conversations.replies` returns it. */
export interface SlackMessage {
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  thread_ts?: string;
  blocks?: unknown[];
  /** Set while a stream writes the message; absent once stopped. */
  streaming?: boolean;
}

/** How the next calls of one method fail; `times` defaults to every call. */
export type SlackFault = {
  method: string;
  times?: number;
} & (
  | { error: string }
  | { status: number; retryAfterSeconds?: number }
  /** Carries the call out, then answers 500: the caller never learns it worked. */
  | { afterApplying: true }
);

/** Port (default: any free one), the token it accepts, the bot's ids, a call listener. */
export interface StartSlackApiOptions {
  port?: number;
  token?: string;
  botUserId?: string;
  teamId?: string;
  /** Told of each call as it is answered, e.g. to print it under `npm run dev`. */
  onCall?(call: SlackCall): void;
}

type Reply = Record<string, unknown>;

/** Starts the stand-in on 127.0.0.1; `close()` stops it. */
export async function startSlackApiServer(
  options: StartSlackApiOptions = {},
): Promise<LocalSlackApi> {
  const token = options.token ?? 'fake-slack-bot-token-for-local-runs';
  const botUserId = options.botUserId ?? 'UBOT000001';
  const botId = 'BBOT000001';
  const teamId = options.teamId ?? 'T0LOCAL001';
  const calls: SlackCall[] = [];
  const channels = new Map<string, SlackMessage[]>();
  const reactions = new Set<string>();
  let faults: (SlackFault & { remaining: number })[] = [];
  let clock = Math.floor(Date.now() / 1000);
  let micros = 0;

  const nextTs = () => {
    micros += 1;
    if (micros > 999_999) {
      clock += 1;
      micros = 1;
    }
    return `${clock}.${String(micros).padStart(6, '0')}`;
  };
  const messagesOf = (channel: string) => {
    let list = channels.get(channel);
    if (!list) {
      list = [];
      channels.set(channel, list);
    }
    return list;
  };
  const find = (channel: string, ts: string) => messagesOf(channel).find((m) => m.ts === ts);
  const post = (channel: string, message: Omit<SlackMessage, 'ts'> & { ts?: string }) => {
    const stored: SlackMessage = { ...message, ts: message.ts ?? nextTs() };
    messagesOf(channel).push(stored);
    return stored;
  };
  const botMessage = (args: Reply, text: string): Omit<SlackMessage, 'ts'> => ({
    text,
    user: botUserId,
    bot_id: botId,
    ...(typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {}),
    ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
  });
  const chunkText = (args: Reply) =>
    (Array.isArray(args.chunks) ? args.chunks : [])
      .map((chunk: { type?: string; text?: string }) =>
        chunk.type === 'markdown_text' ? (chunk.text ?? '') : '',
      )
      .join('') + (typeof args.markdown_text === 'string' ? args.markdown_text : '');

  const methods: Record<string, (args: Reply) => Reply> = {
    'auth.test': () => ({ ok: true, team_id: teamId, user_id: botUserId, bot_id: botId }),
    'chat.postMessage': (args) => {
      const channel = String(args.channel);
      const message = post(channel, botMessage(args, String(args.text ?? '')));
      return { ok: true, channel, ts: message.ts, message };
    },
    'chat.update': (args) => {
      const message = find(String(args.channel), String(args.ts));
      if (!message) return { ok: false, error: 'message_not_found' };
      message.text = String(args.text ?? '');
      if (Array.isArray(args.blocks)) message.blocks = args.blocks;
      return { ok: true, channel: args.channel, ts: message.ts };
    },
    'chat.postEphemeral': () => ({ ok: true, message_ts: nextTs() }),
    'chat.startStream': (args) => {
      const channel = String(args.channel);
      if (typeof args.thread_ts !== 'string') return { ok: false, error: 'invalid_arguments' };
      const message = post(channel, { ...botMessage(args, chunkText(args)), streaming: true });
      return { ok: true, channel, ts: message.ts };
    },
    'chat.appendStream': (args) => {
      const message = find(String(args.channel), String(args.ts));
      if (!message) return { ok: false, error: 'message_not_found' };
      if (!message.streaming) return { ok: false, error: 'message_not_in_streaming_state' };
      message.text += chunkText(args);
      return { ok: true, channel: args.channel, ts: message.ts };
    },
    'chat.stopStream': (args) => {
      const message = find(String(args.channel), String(args.ts));
      if (!message) return { ok: false, error: 'message_not_found' };
      if (!message.streaming) return { ok: false, error: 'message_not_in_streaming_state' };
      message.text += chunkText(args);
      if (Array.isArray(args.blocks)) message.blocks = args.blocks;
      delete message.streaming;
      return { ok: true, channel: args.channel, ts: message.ts, message };
    },
    'conversations.replies': (args) => {
      // Oldest first, up to `latest` (itself only with `inclusive`), a page of `limit`
      // from the cursor, as Slack pages them.
      const latest = typeof args.latest === 'string' ? args.latest : undefined;
      const inclusive = String(args.inclusive) === 'true';
      const all = threadOf(String(args.channel), String(args.ts)).filter((message) => {
        if (!latest) return true;
        const order = compareSlackTs(message.ts, latest);
        return order < 0 || (inclusive && order === 0);
      });
      const start = typeof args.cursor === 'string' ? Number(args.cursor.replace('next:', '')) : 0;
      const limit = Number(args.limit ?? 1000);
      const page = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return {
        ok: true,
        messages: page,
        has_more: more,
        response_metadata: { next_cursor: more ? `next:${start + limit}` : '' },
      };
    },
    'reactions.add': (args) => {
      const key = `${args.channel}:${args.timestamp}:${args.name}`;
      if (reactions.has(key)) return { ok: false, error: 'already_reacted' };
      reactions.add(key);
      return { ok: true };
    },
    'reactions.remove': (args) => {
      const key = `${args.channel}:${args.timestamp}:${args.name}`;
      if (!reactions.delete(key)) return { ok: false, error: 'no_reaction' };
      return { ok: true };
    },
    'assistant.threads.setStatus': () => ({ ok: true }),
    'assistant.threads.setSuggestedPrompts': () => ({ ok: true }),
    'assistant.threads.setTitle': () => ({ ok: true }),
  };

  function threadOf(channel: string, threadTs: string): SlackMessage[] {
    return messagesOf(channel)
      .filter((message) => message.ts === threadTs || message.thread_ts === threadTs)
      .sort((a, b) => compareSlackTs(a.ts, b.ts));
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      console.error('local slack api: request failed', error);
      if (!res.headersSent) send(res, 500, { ok: false, error: 'internal_error' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = url.pathname.replace(/^\/api\//, '');
    const args = decode(await readBody(req), req.headers['content-type']);
    if (req.headers.authorization !== `Bearer ${token}` && args.token !== token) {
      send(res, 200, { ok: false, error: 'invalid_auth' });
      return;
    }
    delete args.token;
    const call = { method, args };
    calls.push(call);
    options.onCall?.(call);
    const fault = faults.find(
      (candidate) => candidate.method === method && candidate.remaining > 0,
    );
    if (fault) {
      fault.remaining -= 1;
      faults = faults.filter((candidate) => candidate.remaining > 0);
      if ('error' in fault) {
        send(res, 200, { ok: false, error: fault.error });
        return;
      }
      if ('status' in fault) {
        const headers: Record<string, string> =
          fault.retryAfterSeconds === undefined
            ? {}
            : { 'retry-after': String(fault.retryAfterSeconds) };
        send(res, fault.status, { ok: false, error: 'ratelimited' }, headers);
        return;
      }
      methods[method]?.(args);
      send(res, 500, { ok: false, error: 'internal_error' });
      return;
    }
    const implementation = methods[method];
    send(res, 200, implementation ? implementation(args) : { ok: false, error: 'unknown_method' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/api/`,
    token,
    botUserId,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    thread: threadOf,
    addMessage: (channel, message) => post(channel, message).ts,
    fail: (fault) => {
      faults.push({ ...fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    },
    reset: () => {
      calls.length = 0;
      channels.clear();
      reactions.clear();
      faults = [];
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The client sends form-encoded arguments, objects and arrays (blocks, chunks, prompts)
 * as JSON strings inside; JSON bodies are taken too.
 */
function decode(body: string, contentType: string | undefined): Reply {
  if (contentType?.startsWith('application/json')) return JSON.parse(body || '{}') as Reply;
  const args: Reply = {};
  for (const [name, value] of new URLSearchParams(body)) {
    args[name] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: Reply,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
