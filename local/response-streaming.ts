import type { Writable } from 'node:stream';

/**
 * Lambda's Node.js runtime gives functions two globals for response streaming:
 * `awslambda.streamifyResponse(handler)` marks a handler as streaming (the runtime then
 * calls it with a response stream), and `awslambda.HttpResponseStream.from(stream,
 * prelude)` writes the HTTP status and headers as a JSON prelude followed by eight NUL
 * bytes, which API Gateway reads before passing the body on as it arrives. This module
 * installs the same two globals for local runs, so a handler built with middy's
 * `streamifyResponse` runs unchanged, and {@link readStreamedResponse} reads what it
 * writes the way API Gateway does.
 */

/** Where the runtime marks a streaming handler. */
const STREAMING_HANDLER = Symbol.for('aws.lambda.runtime.handler.streaming');

/** The status and headers a streamed response starts with. */
export interface StreamPrelude {
  statusCode?: number;
  headers?: Record<string, string | number | boolean | undefined>;
  cookies?: string[];
}

/** Separates the JSON prelude from the body, as in Lambda's HTTP integration format. */
const PRELUDE_DELIMITER = Buffer.alloc(8);

/** The runtime's globals, as far as middy uses them. */
interface StreamingGlobals {
  streamifyResponse<T extends object>(handler: T): T;
  HttpResponseStream: { from(stream: Writable, prelude: StreamPrelude): Writable };
}

const runtime = globalThis as { awslambda?: StreamingGlobals };

/**
 * Installs the globals unless a real Lambda runtime already did. Idempotent. Another
 * library may have created `awslambda` for its own member (Powertools keeps its invoke
 * store there), so each member is added only where it is missing.
 */
export function installResponseStreaming(): void {
  const globals = (runtime.awslambda ?? {}) as Partial<StreamingGlobals>;
  runtime.awslambda = globals as StreamingGlobals;
  globals.streamifyResponse ??= (handler) => {
    Object.defineProperty(handler, STREAMING_HANDLER, { value: 'response' });
    return handler;
  };
  globals.HttpResponseStream ??= {
    from(stream, prelude) {
      stream.write(JSON.stringify(prelude));
      stream.write(PRELUDE_DELIMITER);
      return stream;
    },
  };
}

/** Whether a handler was wrapped by `awslambda.streamifyResponse`. */
export function isStreamingHandler(handler: unknown): boolean {
  return (
    typeof handler === 'function' &&
    (handler as unknown as Record<symbol, unknown>)[STREAMING_HANDLER] === 'response'
  );
}

/**
 * Reads a streamed response as API Gateway does: the prelude first (status and
 * headers), then every body chunk as soon as it is written. `onHead` is called once,
 * before the first body chunk; `onChunk` for each chunk after it.
 */
export async function readStreamedResponse(
  chunks: AsyncIterable<Buffer>,
  onHead: (prelude: StreamPrelude) => void,
  onChunk: (chunk: Buffer) => void,
): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  let headSent = false;
  for await (const chunk of chunks) {
    if (headSent) {
      onChunk(chunk);
      continue;
    }
    pending = Buffer.concat([pending, chunk]);
    const end = pending.indexOf(PRELUDE_DELIMITER);
    if (end < 0) continue;
    onHead(JSON.parse(pending.subarray(0, end).toString('utf8')) as StreamPrelude);
    headSent = true;
    const rest = pending.subarray(end + PRELUDE_DELIMITER.length);
    if (rest.length > 0) onChunk(rest);
  }
  // A handler that never wrote a prelude streamed a bare body.
  if (!headSent) {
    onHead({ statusCode: 200, headers: { 'content-type': 'application/octet-stream' } });
    if (pending.length > 0) onChunk(pending);
  }
}
