import { PassThrough, type Readable } from 'node:stream';

/** One server-sent event: its name and a JSON-serialisable payload. */
export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/** The `text/event-stream` encoding of one event; `data` is one line of JSON. */
export function encodeServerSentEvent({ event, data }: ServerSentEvent): string {
  // JSON.stringify never emits a raw line break, so the payload stays one `data:` line.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Headers of an event stream: no caching, no buffering by proxies that honour the hint. */
export const SERVER_SENT_EVENT_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-accel-buffering': 'no',
} as const;

/**
 * A writable event stream for a streamed route: `send` writes an event as soon as it is
 * called, `end` closes the stream. Hand `body` to the route result; the streaming handler
 * stack pipes it to the client as it is written.
 *
 * @example
 * const events = createEventStream();
 * events.send({ event: 'meta', data: { conversationId } });
 * events.end();
 * return { status: 200, headers: SERVER_SENT_EVENT_HEADERS, stream: events.body };
 */
export function createEventStream(): {
  body: Readable;
  send(event: ServerSentEvent): void;
  end(): void;
  /** Aborted when the stream is closed before `end`: the client went away. */
  readonly closed: AbortSignal;
} {
  const body = new PassThrough();
  const closed = new AbortController();
  body.once('close', () => {
    if (!body.writableFinished) closed.abort(new ClientGoneError());
  });
  const open = () => !body.writableEnded && !body.destroyed;
  return {
    body,
    send: (event) => {
      if (open()) body.write(encodeServerSentEvent(event));
    },
    end: () => {
      if (open()) body.end();
    },
    closed: closed.signal,
  };
}

/** The client closed an event stream before it ended. */
export class ClientGoneError extends Error {
  constructor() {
    super('The client closed the stream.');
    this.name = 'ClientGoneError';
  }
}
