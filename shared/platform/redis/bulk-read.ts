import { isAscii } from 'node:buffer';
import { RedisUnavailableError } from '../errors/upstream.ts';
import type { RedisSettings } from './client.ts';
import { RedisCommandError } from './errors.ts';

/** Reads string values of several megabytes each, such as stored index snapshots. */
export interface BulkReader {
  /** The values of `keys` (`null` where a key is missing), in one request. */
  get(keys: readonly string[]): Promise<(string | null)[]>;
}

const OPEN = Buffer.from('{"result":"');
const CLOSE = Buffer.from('"}');

/**
 * A reader that sends one pipeline of GETs over Upstash's REST protocol, as the Redis
 * client does, but reads values that need no JSON escaping (base64) straight from the
 * reply's bytes: the client would decode the whole reply as UTF-8 and parse it as JSON,
 * which costs a cold index load about as much as moving the bytes. A reply of any other
 * shape is parsed as JSON.
 */
export function createBulkReader(settings: RedisSettings): BulkReader {
  const url = `${settings.url.endsWith('/') ? settings.url.slice(0, -1) : settings.url}/pipeline`;
  return {
    async get(keys) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${settings.token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(keys.map((key) => ['GET', key])),
        });
      } catch (error) {
        throw new RedisUnavailableError({ cause: error });
      }
      if (response.status === 401 || response.status >= 500) {
        throw new RedisUnavailableError({ cause: new Error(`HTTP ${response.status}`) });
      }
      const body = Buffer.from(await response.arrayBuffer());
      if (!response.ok) throw new RedisCommandError(`pipeline answered HTTP ${response.status}`);
      return readVerbatim(body, keys.length) ?? readJson(body);
    },
  };
}

/**
 * The values of `[{"result":"..."},...]` when every one is a plain string without
 * escapes, else `undefined`. Latin-1 makes a one-byte string of ASCII bytes without
 * decoding them.
 */
function readVerbatim(body: Buffer, count: number): string[] | undefined {
  const values: string[] = [];
  let at = 1;
  if (body[0] !== 0x5b) return undefined;
  for (let index = 0; index < count; index += 1) {
    if (index > 0 && body[at++] !== 0x2c) return undefined;
    if (!body.subarray(at, at + OPEN.length).equals(OPEN)) return undefined;
    const start = at + OPEN.length;
    const end = body.indexOf(0x22, start);
    if (end < 0 || !body.subarray(end, end + CLOSE.length).equals(CLOSE)) return undefined;
    const backslash = body.indexOf(0x5c, start);
    if ((backslash !== -1 && backslash < end) || !isAscii(body.subarray(start, end)))
      return undefined;
    values.push(body.toString('latin1', start, end));
    at = end + CLOSE.length;
  }
  return at === body.length - 1 && body[at] === 0x5d ? values : undefined;
}

function readJson(body: Buffer): (string | null)[] {
  const replies = JSON.parse(body.toString('utf8')) as { result?: unknown; error?: string }[];
  return replies.map((reply) => {
    if (reply.error !== undefined) throw new RedisCommandError(reply.error);
    return typeof reply.result === 'string' ? reply.result : null;
  });
}
