import type { Connection } from '../config/connection.ts';
import { CliError } from '../errors.ts';
import {
  type ApiErrorBody,
  explainResponse,
  explainUnreachable,
  type RequestPurpose,
} from './explain.ts';

export interface ApiRequest extends RequestPurpose {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ClientOptions {
  /** Longest `Retry-After` the client waits out by itself on a 429. */
  maxRateLimitWaitSeconds?: number;
  /** Told before each wait, so a progress display can say why nothing moves. */
  onRateLimitWait?: (seconds: number) => void;
  /** Longest wait for the API to start answering (a stream's first byte, too). */
  timeoutSeconds?: number;
}

/**
 * The platform answers within its functions' time limits (29 s buffered, 120 s for a
 * chat stream to start); past this, the API is taken as hung rather than busy.
 */
export const DEFAULT_TIMEOUT_SECONDS = 150;

const RATE_LIMIT_RETRIES = 3;

/** The platform's HTTP API: bearer key, JSON in and out, errors explained. */
export class ApiClient {
  readonly connection: Connection;
  private readonly options: ClientOptions;

  constructor(connection: Connection, options: ClientOptions = {}) {
    this.connection = connection;
    this.options = options;
  }

  /** Sends a request and parses its JSON answer (`undefined` for 204). */
  async json<T>(request: ApiRequest): Promise<T> {
    const response = await this.send(request, 'application/json');
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Sends a request for a server-sent event stream; the caller reads the body. */
  async stream(request: ApiRequest): Promise<Response> {
    return this.send(request, 'text/event-stream');
  }

  private async send(request: ApiRequest, accept: string): Promise<Response> {
    const url = this.urlOf(request);
    const headers: Record<string, string> = { accept, ...request.headers };
    if (this.connection.key) headers.authorization = `Bearer ${this.connection.key}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      const seconds = this.options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
      const hung = new AbortController();
      const timer = setTimeout(() => hung.abort(), seconds * 1000);
      try {
        response = await fetch(url, {
          method: request.method ?? 'GET',
          headers,
          // A redirect would send the request (a document, say) to a URL nobody configured.
          redirect: 'error',
          ...(body === undefined ? {} : { body }),
          signal: request.signal ? AbortSignal.any([request.signal, hung.signal]) : hung.signal,
        });
      } catch (error) {
        if (hung.signal.aborted && !request.signal?.aborted) {
          throw new CliError(
            `The API at ${this.connection.url} did not answer within ${seconds} s (--timeout changes the wait).`,
            { code: 'timeout', cause: error },
          );
        }
        if ((error as Error).name === 'AbortError') throw error;
        throw explainUnreachable(error, this.connection.url, this.connection);
      } finally {
        // Only the wait for the answer to start: a stream then runs as long as it writes.
        clearTimeout(timer);
      }
      if (response.ok) return response;
      // API Gateway's own throttling answers 429 without Retry-After: back off 1, 2, 4 s.
      const header = Number(response.headers.get('retry-after'));
      const wait = Number.isFinite(header) && header > 0 ? header : 2 ** attempt;
      const maxWait = this.options.maxRateLimitWaitSeconds ?? 60;
      if (response.status === 429 && attempt < RATE_LIMIT_RETRIES && wait >= 0 && wait <= maxWait) {
        await response.body?.cancel();
        this.options.onRateLimitWait?.(wait);
        await sleep(wait * 1000, request.signal);
        continue;
      }
      throw explainResponse(
        response.status,
        await errorBody(response),
        response.headers.get('retry-after'),
        this.connection,
        request,
      );
    }
  }

  private urlOf(request: ApiRequest): string {
    const url = new URL(`${this.connection.url}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }
}

async function errorBody(response: Response): Promise<ApiErrorBody | undefined> {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text) as ApiErrorBody;
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new CliError('Stopped.', { code: 'aborted' }));
      },
      { once: true },
    );
  });
}

/** A path segment, escaped. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
