import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { RedisUnavailableError } from '../errors/upstream.ts';
import { Base64Decoder } from './base64-decoder.ts';
import type { RedisSettings } from './client.ts';
import { RedisCommandError } from './errors.ts';

/** Reads binary values of several megabytes each, stored as base64, such as index snapshots. */
export interface BulkReader {
  /**
   * Reads the values of `keys` in one request and decodes each into the target of the
   * same index. Per key: `true` when it held base64 of exactly the target's length (now
   * decoded into it), `false` when it held anything else, `null` when it is missing.
   */
  readInto(keys: readonly string[], targets: readonly Uint8Array[]): Promise<(boolean | null)[]>;
}

const RESULT_OPEN = Buffer.from('{"result":"');
const RESULT_CLOSE = Buffer.from('"}');
const NULL_RESULT = Buffer.from('{"result":null}');

/**
 * A reader that sends one pipeline of GETs over Upstash's REST protocol, as the Redis
 * client does, but decodes each base64 value straight from the reply's bytes into its
 * target: the client would decode the reply as UTF-8, parse it as JSON and hand back
 * strings to decode again, which cost a cold index load more than moving the bytes did
 * (and every megabyte a cold container touches for the first time costs more still).
 * A reply of any other shape is parsed as JSON.
 */
export function createBulkReader(settings: RedisSettings): BulkReader {
  const url = new URL(
    `${settings.url.endsWith('/') ? settings.url.slice(0, -1) : settings.url}/pipeline`,
  );
  return {
    async readInto(keys, targets) {
      if (targets.length !== keys.length) throw new RangeError('one target per key');
      const { status, chunks, size } = await post(
        url,
        settings.token,
        JSON.stringify(keys.map((key) => ['GET', key])),
      );
      if (status === 401 || status >= 500) {
        throw new RedisUnavailableError({ cause: new Error(`HTTP ${status}`) });
      }
      if (status < 200 || status >= 300) {
        throw new RedisCommandError(`pipeline answered HTTP ${status}`);
      }
      const decoder = Base64Decoder.shared();
      // Decoded in this same synchronous step: the decoder's buffer is shared.
      const bytes = decoder.load(chunks, size);
      const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      return decodeReplies(view, decoder, targets) ?? decodeJson(view, targets);
    },
  };
}

interface Reply {
  status: number;
  chunks: Buffer[];
  size: number;
}

const agents = {
  http: new HttpAgent({ keepAlive: true }),
  https: new HttpsAgent({ keepAlive: true }),
};

/**
 * POSTs over node's own HTTP client, whose body chunks arrive as plain buffers: a web
 * stream (`fetch`) took 15-25% more CPU to read the same bytes. A
 * kept-alive connection the server closed meanwhile (a container thawed after a quiet
 * spell) fails on reuse; that request is sent once more on a new one.
 */
async function post(url: URL, token: string, body: string): Promise<Reply> {
  try {
    return await send(url, token, body);
  } catch (error) {
    if (!(error instanceof StaleConnectionError)) throw new RedisUnavailableError({ cause: error });
    try {
      return await send(url, token, body);
    } catch (retryError) {
      throw new RedisUnavailableError({ cause: retryError });
    }
  }
}

class StaleConnectionError extends Error {}

/** Longest silence from the server within one read. */
const IDLE_TIMEOUT_MS = 10_000;

function send(url: URL, token: string, body: string): Promise<Reply> {
  const secure = url.protocol === 'https:';
  const request = secure ? httpsRequest : httpRequest;
  return new Promise<Reply>((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, chunks, size }));
        response.on('error', reject);
        response.on('close', () => {
          if (!response.complete) reject(new Error('reply cut short'));
        });
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const stale =
        outgoing.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
      reject(stale ? new StaleConnectionError(error.message, { cause: error }) : error);
    });
    // A stalled connection fails the read (a 503) instead of holding the function.
    outgoing.setTimeout(IDLE_TIMEOUT_MS, () => outgoing.destroy(new Error('Redis read stalled')));
    outgoing.end(body);
  });
}

/**
 * Decodes `[{"result":"..."},{"result":null},...]` with one entry per target, each
 * string decoded in place; `undefined` when the reply has another shape (an error, a
 * string with escapes), which is then parsed as JSON from the bytes not yet decoded.
 */
function decodeReplies(
  body: Buffer,
  decoder: Base64Decoder,
  targets: readonly Uint8Array[],
): (boolean | null)[] | undefined {
  // Find every span first, so a reply of another shape is seen before any byte changes.
  const spans: ({ start: number; end: number } | null)[] = [];
  let at = 1;
  if (body[0] !== 0x5b) return undefined;
  for (let index = 0; index < targets.length; index += 1) {
    if (index > 0 && body[at++] !== 0x2c) return undefined;
    if (startsWith(body, at, NULL_RESULT)) {
      spans.push(null);
      at += NULL_RESULT.length;
      continue;
    }
    if (!startsWith(body, at, RESULT_OPEN)) return undefined;
    const start = at + RESULT_OPEN.length;
    const end = body.indexOf(0x22, start);
    if (end < 0 || !startsWith(body, end, RESULT_CLOSE)) return undefined;
    spans.push({ start, end });
    at = end + RESULT_CLOSE.length;
  }
  if (at !== body.length - 1 || body[at] !== 0x5d) return undefined;
  return spans.map((span, index) =>
    span ? decoder.decodeInto(span.start, span.end, targets[index] as Uint8Array) : null,
  );
}

function decodeJson(body: Buffer, targets: readonly Uint8Array[]): (boolean | null)[] {
  let replies: { result?: unknown; error?: string }[];
  try {
    replies = JSON.parse(body.toString('utf8')) as typeof replies;
  } catch {
    throw new RedisCommandError('pipeline answered with a body that is not JSON');
  }
  if (!Array.isArray(replies) || replies.length !== targets.length) {
    throw new RedisCommandError('pipeline answered with another number of replies');
  }
  return replies.map((reply, index) => {
    if (reply.error !== undefined) throw new RedisCommandError(reply.error);
    if (typeof reply.result !== 'string') return null;
    return decodeBase64Into(reply.result, targets[index] as Uint8Array);
  });
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `value` decoded into `target` when it is padded base64 of exactly its length. */
export function decodeBase64Into(value: string, target: Uint8Array): boolean {
  if (value.length % 4 !== 0 || !BASE64.test(value)) return false;
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  if ((value.length / 4) * 3 - padding !== target.length) return false;
  Buffer.from(target.buffer, target.byteOffset, target.length).write(value, 'base64');
  return true;
}

function startsWith(body: Buffer, at: number, prefix: Buffer): boolean {
  if (at + prefix.length > body.length) return false;
  return body.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0;
}
