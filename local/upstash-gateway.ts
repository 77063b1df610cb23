import { isUtf8 } from 'node:buffer';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis as RedisConnection } from 'ioredis';
import { LuaCompatibility } from './lua-compat.ts';

/**
 * A local stand-in for Upstash's REST API in front of a real `redis-server`, so the real
 * `@upstash/redis` client runs unchanged in development and tests.
 *
 * Speaks: `POST /` (one command as a JSON array), `POST /pipeline` and `POST /multi-exec`
 * (a JSON array of commands), bearer-token auth, and the `Upstash-Encoding: base64`
 * response encoding. Replies use Upstash's `{result}` / `{error}` shapes.
 */
export interface UpstashGateway {
  readonly url: string;
  readonly token: string;
  /** Number of HTTP requests served, i.e. Redis round trips made by clients. */
  readonly requestCount: number;
  /** Bytes of request bodies received and of response bodies sent (what Upstash bills as bandwidth). */
  readonly requestBytes: number;
  readonly responseBytes: number;
  /** Resets {@link requestCount} and both byte counts. */
  resetRequestCount(): void;
  /**
   * Redis commands run for clients, what Upstash bills: one for `POST /`, one per command
   * of a `/pipeline` body, and a `/multi-exec` body's commands plus two, its MULTI and
   * EXEC, which run on Redis around them (Upstash does not document billing its REST
   * transactions otherwise, so a budget is checked against the higher figure). Requests
   * refused before Redis (auth, malformed body) count none.
   */
  readonly commandCount: number;
  /** {@link commandCount} by upper-case command name (`MULTI` and `EXEC` included). */
  readonly commandsByName: ReadonlyMap<string, number>;
  resetCommandCount(): void;
  close(): Promise<void>;
}

export interface StartGatewayOptions {
  socketPath: string;
  token: string;
  port?: number;
  host?: string;
}

type Command = (string | number)[];
type Reply = null | number | string | Buffer | Reply[];
type Encoded = null | number | string | VerbatimString | Encoded[];
interface Outcome {
  result?: Encoded;
  error?: string;
}

// Upstash's request limit on its regular plans, so tests catch writes that would not fit.
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function startUpstashGateway(options: StartGatewayOptions): Promise<UpstashGateway> {
  const redis = new RedisConnection({
    path: options.socketPath,
    lazyConnect: true,
    // Upstash answers in RESP2 shapes (flat arrays for HGETALL, ZRANGE WITHSCORES).
    protocol: 2,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
  });
  // Connection errors surface per request as `{error}` replies; the event itself is noise.
  redis.on('error', () => undefined);
  await redis.connect();
  const expectedToken = Buffer.from(options.token);
  const lua = new LuaCompatibility();
  let requestCount = 0;
  let requestBytes = 0;
  let responseBytes = 0;
  const commandsByName = new Map<string, number>();
  let commandCount = 0;
  const reply = (res: ServerResponse, status: number, payload: unknown) => {
    responseBytes += sendJson(res, status, payload);
  };
  const countCommand = (name: string) => {
    commandCount += 1;
    commandsByName.set(name, (commandsByName.get(name) ?? 0) + 1);
  };

  const server = createServer((req, res) => {
    requestCount += 1;
    handle(req, res).catch((error: unknown) => {
      reply(res, 500, { error: `ERR gateway: ${(error as Error).message}` });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAuthorized(req.headers.authorization, expectedToken)) {
      reply(res, 401, { error: 'Unauthorized' });
      return;
    }
    if (req.method !== 'POST') {
      reply(res, 405, { error: 'ERR only POST is supported by the local gateway' });
      return;
    }
    if (redis.status !== 'ready') {
      // What a client of the hosted service sees when the database cannot be reached.
      reply(res, 503, { error: 'Service Unavailable: the database is not reachable' });
      return;
    }
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const path = (req.url ?? '/').split('?')[0];
    const body = await readJson(req, (size) => {
      requestBytes += size;
    });
    if (body === TOO_LARGE) {
      reply(res, 400, {
        error: `ERR max request size exceeded. Limit: ${MAX_BODY_BYTES} bytes`,
      });
      return;
    }
    if (body === undefined) {
      reply(res, 400, { error: 'ERR failed to parse the request body as JSON' });
      return;
    }

    if (path === '/' || path === '') {
      if (!isCommand(body)) {
        reply(res, 400, { error: 'ERR the body must be a JSON array of command arguments' });
        return;
      }
      const outcome = await runOne(body, base64);
      reply(res, outcome.error === undefined ? 200 : 400, outcome);
      return;
    }
    if (path === '/pipeline' || path === '/multi-exec') {
      if (!Array.isArray(body) || body.length === 0 || !body.every(isCommand)) {
        reply(res, 400, { error: 'ERR the body must be a non-empty JSON array of commands' });
        return;
      }
      const commands = body as Command[];
      const outcomes =
        path === '/pipeline'
          ? await runPipeline(commands, base64)
          : await runTransaction(commands, base64);
      if (!Array.isArray(outcomes)) {
        reply(res, 400, outcomes);
        return;
      }
      reply(res, 200, outcomes);
      return;
    }
    reply(res, 404, { error: `ERR unknown endpoint ${path}` });
  }

  /** Applies the Lua compatibility rewrite; SCRIPT LOAD answers with the client's own SHA. */
  function prepare(original: Command) {
    // Counted as the client sent it, before the Lua compatibility rewrite.
    countCommand(commandName(original[0]));
    const { command, scriptLoadSha } = lua.rewrite(original);
    const [name, ...args] = command;
    return { name: commandName(name), args: args.map(String), scriptLoadSha };
  }

  function outcome(
    [error, reply]: [Error | null, unknown],
    scriptLoadSha: string | undefined,
    base64: boolean,
  ): Outcome {
    if (error) return { error: errorMessage(error) };
    return { result: encode(scriptLoadSha ?? (reply as Reply), base64) };
  }

  async function runOne(original: Command, base64: boolean): Promise<Outcome> {
    const { name, args, scriptLoadSha } = prepare(original);
    try {
      const reply = (await redis.callBuffer(name, ...args)) as Reply;
      return outcome([null, reply], scriptLoadSha, base64);
    } catch (error) {
      return { error: errorMessage(error) };
    }
  }

  async function runPipeline(commands: Command[], base64: boolean): Promise<Outcome[]> {
    const pipeline = redis.pipeline();
    const prepared = commands.map(prepare);
    for (const { name, args } of prepared) pipeline.callBuffer(name, ...args);
    const replies = (await pipeline.exec()) ?? [];
    return replies.map((reply, index) => outcome(reply, prepared[index]?.scriptLoadSha, base64));
  }

  async function runTransaction(
    commands: Command[],
    base64: boolean,
  ): Promise<Outcome[] | Outcome> {
    const transaction = redis.multi();
    countCommand('MULTI');
    const prepared = commands.map(prepare);
    countCommand('EXEC');
    for (const { name, args } of prepared) transaction.callBuffer(name, ...args);
    try {
      const replies = (await transaction.exec()) ?? [];
      return replies.map((reply, index) => outcome(reply, prepared[index]?.scriptLoadSha, base64));
    } catch (error) {
      // A command rejected while queueing aborts the whole transaction (EXECABORT).
      return { error: errorMessage(error) };
    }
  }

  await new Promise<void>((resolve) => {
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;

  return {
    url: `http://${address.address}:${address.port}`,
    token: options.token,
    get requestCount() {
      return requestCount;
    },
    get requestBytes() {
      return requestBytes;
    },
    get responseBytes() {
      return responseBytes;
    },
    resetRequestCount() {
      requestCount = 0;
      requestBytes = 0;
      responseBytes = 0;
    },
    get commandCount() {
      return commandCount;
    },
    commandsByName,
    resetCommandCount() {
      commandCount = 0;
      commandsByName.clear();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
    },
  };
}

/**
 * ioredis reshapes some replies (HGETALL into an object) keyed by the lower-case command
 * name; the upper-case name bypasses that so clients get Redis's raw reply, as Upstash sends.
 */
function commandName(name: string | number | undefined): string {
  return String(name).toUpperCase();
}

function isAuthorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function isCommand(value: unknown): value is Command {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((part) => typeof part === 'string' || typeof part === 'number')
  );
}

/**
 * A large reply string that is valid UTF-8 and needs no JSON escaping (base64 text, for
 * one), written into the response as its bytes: decoding it to a string and encoding it
 * again would cost the stand-in more than the network it stands for.
 */
class VerbatimString {
  readonly bytes: Buffer;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }
}

const VERBATIM_MIN_BYTES = 64 * 1024;

function encode(reply: Reply, base64: boolean): Encoded {
  if (reply === null || typeof reply === 'number') return reply;
  if (Array.isArray(reply)) return reply.map((item) => encode(item, base64));
  const bytes = typeof reply === 'string' ? Buffer.from(reply) : reply;
  if (base64) return bytes.toString('base64');
  if (bytes.length >= VERBATIM_MIN_BYTES && isUtf8(bytes) && !needsEscape(bytes)) {
    return new VerbatimString(bytes);
  }
  return bytes.toString('utf8');
}

/**
 * Whether any byte is a control character, `"` or `\\`. Called on ASCII only (`isUtf8`
 * first, and base64 is ASCII), it looks at four bytes per step: the stand-in's own cost
 * should not crowd the machine it shares with what it serves.
 */
function needsEscape(bytes: Buffer): boolean {
  const head = Math.min((4 - (bytes.byteOffset % 4)) % 4, bytes.length);
  const words = Math.floor((bytes.length - head) / 4);
  for (let i = 0; i < head; i += 1) {
    if (escapes(bytes[i] as number)) return true;
  }
  const aligned = new Uint32Array(bytes.buffer, bytes.byteOffset + head, words);
  for (let i = 0; i < aligned.length; i += 1) {
    const word = aligned[i] as number;
    const quote = word ^ 0x22222222;
    const backslash = word ^ 0x5c5c5c5c;
    // The classic "has a byte below n" test on bytes below 0x80: control characters
    // (below 0x20), and a byte that is zero after the XOR (a quote or a backslash).
    const below =
      ((word - 0x20202020) & ~word) |
      ((quote - 0x01010101) & ~quote) |
      ((backslash - 0x01010101) & ~backslash);
    if ((below & 0x80808080) !== 0) return true;
  }
  for (let i = head + words * 4; i < bytes.length; i += 1) {
    if (escapes(bytes[i] as number)) return true;
  }
  return false;
}

function escapes(byte: number): boolean {
  return byte < 0x20 || byte === 0x22 || byte === 0x5c;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const TOO_LARGE = Symbol('too large');

/** The parsed body, `undefined` if it is not JSON, {@link TOO_LARGE} past Upstash's cap. */
async function readJson(req: IncomingMessage, received: (bytes: number) => void): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    received((chunk as Buffer).length);
    if (size > MAX_BODY_BYTES) return TOO_LARGE;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Sends a JSON reply; returns its body's size in bytes. */
function sendJson(res: ServerResponse, status: number, payload: unknown): number {
  // Verbatim strings go into the JSON as numbered markers, then their bytes replace them.
  const verbatim: Buffer[] = [];
  const marker = `verbatim-${randomBytes(8).toString('hex')}-`;
  const json = JSON.stringify(payload, (_key, value: unknown) =>
    value instanceof VerbatimString ? `${marker}${verbatim.push(value.bytes) - 1}` : value,
  );
  const parts: Buffer[] = [];
  let last = 0;
  for (let index = 0; index < verbatim.length; index += 1) {
    const at = json.indexOf(`${marker}${index}"`, last);
    parts.push(Buffer.from(json.slice(last, at)), verbatim[index] as Buffer);
    last = at + marker.length + String(index).length;
  }
  parts.push(Buffer.from(json.slice(last)));
  const body = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': body.length,
  });
  res.end(body);
  return body.length;
}
