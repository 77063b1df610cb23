import type { Connection } from '../config/connection.ts';
import { CliError } from '../errors.ts';

/** The API's error body: `{"error":{"code","message","requestId","issues"}}`. */
export interface ApiErrorBody {
  error?: {
    code?: string;
    message?: string;
    requestId?: string;
    issues?: { path: string; message: string }[];
  };
}

/** What a request was for, so an error can name it. */
export interface RequestPurpose {
  /** The scope the route needs, named when the key lacks it. */
  scope?: string;
  /** The file being sent, named when it is too large. */
  file?: string;
  /** Its size in bytes. */
  fileBytes?: number;
}

const DOWN: Record<string, string> = {
  redis_unavailable: "The platform's data store (Redis) is unavailable",
  model_unavailable: 'The language model is unavailable',
  settings_unavailable: "The platform's settings could not be read",
  settings_invalid: "The platform's settings are invalid (its operator's logs name the setting)",
  deadline_exceeded: 'The request ran out of time waiting on a dependency',
  queue_unavailable: 'A queue of the platform is unavailable',
  not_configured: 'The platform is not configured yet',
};

/** Turns an error response into a message a person can act on. */
export function explainResponse(
  status: number,
  body: ApiErrorBody | undefined,
  retryAfter: string | null,
  connection: Connection,
  purpose: RequestPurpose,
): CliError {
  const code = body?.error?.code ?? `http_${status}`;
  const serverMessage = body?.error?.message ?? `HTTP ${status}`;
  const requestId = body?.error?.requestId;
  const make = (message: string) => new CliError(message, { code, status });

  if (status === 401) {
    if (!connection.key) {
      return make(
        `No API key for ${connection.url}: set AGENT_API_KEY, or run agent login --url ${connection.url} (a saved profile's key is sent only to that profile's URL).`,
      );
    }
    const what =
      code === 'key_expired'
        ? 'has expired; create a new key (agent keys create) and save it with agent login'
        : `was refused (${code}); set a valid key in ${connection.keySource}, or run agent login`;
    return make(`The API key from ${connection.keySource} ${what}.`);
  }
  if (status === 403) {
    // Only a missing scope is told as one; other refusals (another tenant, another user)
    // keep the server's own words.
    if (
      code === 'forbidden' &&
      purpose.scope &&
      serverMessage.includes(`"${purpose.scope}" scope`)
    ) {
      return make(
        `This API key lacks the "${purpose.scope}" scope this command needs (${serverMessage}). Use a key with it: agent keys create --scope ${purpose.scope} (with an admin key).`,
      );
    }
    return make(`Forbidden (${code}): ${serverMessage}`);
  }
  if (status === 413) {
    const file = purpose.file ? `${purpose.file}` : 'The request';
    const size = purpose.fileBytes === undefined ? '' : ` (${purpose.fileBytes} bytes)`;
    const cap = bytesIn(serverMessage);
    const capText = cap
      ? code === 'payload_too_large'
        ? `the API accepts request bodies up to ${cap} bytes, so files up to about ${Math.floor((Number(cap) * 3) / 4)} bytes once base64-encoded`
        : `the platform's cap is ${cap} bytes`
      : serverMessage;
    return make(`${file}${size} is too large (${code}): ${capText}.`);
  }
  if (status === 429) {
    return make(
      `Rate limited (${code}): ${Number(retryAfter) > 0 ? `retry after ${retryAfter} s (at ${clock(Number(retryAfter))})` : 'retry in a few seconds'}.`,
    );
  }
  if (status === 503) {
    const down = DOWN[code] ?? 'A service the platform depends on is unavailable';
    const wait = retryAfter ? ` in ${retryAfter} s` : '';
    return make(`${down} (${code}): ${serverMessage} A retry${wait} is safe.`);
  }
  if (status >= 500) {
    return make(
      `The API failed (${status} ${code})${requestId ? `, request id ${requestId}` : ''}: ${serverMessage}`,
    );
  }
  const issues = body?.error?.issues?.length
    ? ` (${body.error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')})`
    : '';
  return make(`${serverMessage}${serverMessage.includes(':') ? '' : issues} [${status} ${code}]`);
}

/** The API cannot be reached at all: say which URL and where it came from. */
export function explainUnreachable(error: unknown, url: string, connection: Connection): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  if (/redirect/i.test(reason)) {
    return new CliError(
      `The API at ${url} answered with a redirect, which is not followed; set ${connection.urlSource} to the API's own URL.`,
      { code: 'redirected', cause: error },
    );
  }
  return new CliError(
    `Cannot reach the API at ${url} (${reason}). Check that it is running and that ${connection.urlSource} is right.`,
    { code: 'unreachable', cause: error },
  );
}

function clock(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toLocaleTimeString();
}

/** The number of bytes a message names (`the 4194304-byte limit`, `of 4194304 bytes`). */
function bytesIn(message: string): string | undefined {
  const words = message.split(/[\s-]/);
  const index = words.findIndex(
    (word, at) => /^\d+$/.test(word) && (words[at + 1] ?? '').startsWith('byte'),
  );
  return index === -1 ? undefined : words[index];
}
