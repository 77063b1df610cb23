import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { functionCatalog } from '#functions/catalog.ts';
import type { FunctionDefinition } from '#functions/function-definition.ts';
import {
  type QueueSender,
  releaseInProcessQueues,
  useInProcessQueues,
} from '#shared/platform/queues/queue-sender.ts';
import { toLambdaContext, toProxyEvent } from './api-gateway-event.ts';
import { loadHandler } from './handler-loader.ts';
import { type LocalQueues, startLocalQueues } from './local-queues.ts';
import {
  installResponseStreaming,
  isStreamingHandler,
  readStreamedResponse,
} from './response-streaming.ts';
import { createRouteTable } from './route-table.ts';

type ProxyHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;
type StreamingHandler = (
  event: APIGatewayProxyEvent,
  responseStream: PassThrough,
  context: Context,
) => Promise<void>;

// Streamed functions are built with `awslambda.streamifyResponse` when their module loads.
installResponseStreaming();

/** API Gateway's own payload limit: larger requests never reach a function. */
const GATEWAY_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface LocalApiServer {
  readonly url: string;
  /** The in-process queues of the catalog's queue functions, by queue name. */
  readonly queues: LocalQueues;
  close(): Promise<void>;
}

export interface StartApiServerOptions {
  port?: number;
  host?: string;
  stage?: string;
  catalog?: FunctionDefinition[];
  /** How long a failed queue message stays hidden before it is delivered again. */
  queueVisibilityTimeoutMs?: number;
}

/**
 * Serves the catalog's functions the way they are deployed: routes over HTTP as API
 * Gateway's REST proxy integration would (same event shape, same route table; streamed
 * routes write their response chunk by chunk as Lambda response streaming does), and
 * queue functions on in-process queues with at-least-once delivery.
 */
export async function startApiServer(options: StartApiServerOptions = {}): Promise<LocalApiServer> {
  const catalog = options.catalog ?? functionCatalog;
  const lookup = createRouteTable(catalog);
  const stage = options.stage ?? 'local';
  const queues = startLocalQueues(catalog, {
    ...(options.queueVisibilityTimeoutMs === undefined
      ? {}
      : { visibilityTimeoutMs: options.queueVisibilityTimeoutMs }),
  });
  // Producers in this process send to these queues instead of SQS.
  const inProcessSender: QueueSender = {
    send: async (name, message) => {
      queues.send(name, message);
    },
  };
  useInProcessQueues(inProcessSender);

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      console.error('local api server: handler crashed', error);
      if (!res.headersSent)
        gatewayError(res, 502, 'bad_gateway', 'The function failed to respond.');
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Parsed against a fixed origin so paths like `//x` stay paths, as API Gateway treats them.
    const url = URL.parse(`http://localhost${req.url ?? '/'}`);
    if (!url) {
      gatewayError(res, 400, 'bad_request', 'The request target is not a valid path.');
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      gatewayError(res, 413, 'payload_too_large', 'Request body exceeds the 10 MB gateway limit.');
      return;
    }
    const method = req.method ?? 'GET';
    const found = lookup(method, url.pathname);
    if (found.kind === 'not-found') {
      gatewayError(res, 404, 'not_found', `No route for ${url.pathname}.`);
      return;
    }
    if (found.kind === 'method-not-allowed') {
      res.setHeader('allow', found.allowed.join(', '));
      gatewayError(res, 405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}.`);
      return;
    }
    const { fn, resource, pathParameters } = found.match;
    const event = toProxyEvent(
      {
        method,
        url,
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      },
      resource,
      pathParameters,
      stage,
    );
    const handler = await loadHandler<ProxyHandler | StreamingHandler>(fn);
    const context = toLambdaContext(fn.name, fn.timeoutSeconds);
    if (isStreamingHandler(handler)) {
      await writeStreamed(res, (stream) => (handler as StreamingHandler)(event, stream, context));
    } else {
      writeResult(res, await (handler as ProxyHandler)(event, context));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    queues,
    async close() {
      queues.stop();
      releaseInProcessQueues(inProcessSender);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Runs a streaming handler and relays what it writes as API Gateway does: the status and
 * headers from its prelude, then each chunk as soon as it arrives.
 */
async function writeStreamed(
  res: ServerResponse,
  invoke: (stream: PassThrough) => Promise<void>,
): Promise<void> {
  const stream = new PassThrough();
  // A client that goes away closes the function's response stream, as it does in Lambda.
  res.once('close', () => {
    if (!res.writableFinished) stream.destroy();
  });
  const invocation = invoke(stream).then(
    () => {
      if (!stream.writableEnded) stream.end();
    },
    (error: unknown) => stream.destroy(error as Error),
  );
  try {
    await readStreamedResponse(
      stream,
      (prelude) => {
        for (const [name, value] of Object.entries(prelude.headers ?? {})) {
          if (value !== undefined) res.setHeader(name, String(value));
        }
        if (prelude.cookies?.length) res.setHeader('set-cookie', prelude.cookies);
        res.writeHead(prelude.statusCode ?? 200);
        res.flushHeaders();
      },
      (chunk) => res.write(chunk),
    );
    res.end();
  } catch (error) {
    // A stream that fails after its first byte can only be cut off, as API Gateway does.
    if (res.headersSent) res.destroy(error as Error);
    else throw error;
  }
  await invocation;
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResult): void {
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    // API Gateway drops headers whose value is undefined (JSON has no undefined).
    if (value !== undefined) res.setHeader(name, String(value));
  }
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    res.setHeader(name, values.map(String));
  }
  res.statusCode = result.statusCode;
  res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

function gatewayError(res: ServerResponse, status: number, code: string, message: string): void {
  res.statusCode = status;
  // Mirrors the deployed API's own error responses (infra/constructs/platform-api.ts).
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('strict-transport-security', 'max-age=15552000; includeSubDomains; preload');
  res.setHeader('x-content-type-options', 'nosniff');
  res.end(JSON.stringify({ error: { code, message, requestId: randomUUID() } }));
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_PAYLOAD_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
