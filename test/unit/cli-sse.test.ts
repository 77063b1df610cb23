import { describe, expect, it } from 'vitest';
import { readServerSentEvents } from '../../cli/http/sse.ts';

/** A body that arrives in the given pieces, as a network delivers it. */
function body(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

async function read(pieces: string[]) {
  const events = [];
  for await (const event of readServerSentEvents(body(pieces))) events.push(event);
  return events;
}

describe('the CLI server-sent event reader', () => {
  it('reads events split anywhere, with LF, CRLF or CR line ends', async () => {
    const events = await read([
      'event: me',
      'ta\ndata: {"a":1}\n',
      '\nevent: delta\r\ndata: {"text":"Hel',
      'lo"}\r',
      '\r\ndata: plain\r\r',
    ]);

    expect(events).toEqual([
      { event: 'meta', data: '{"a":1}' },
      { event: 'delta', data: '{"text":"Hello"}' },
      { event: 'message', data: 'plain' },
    ]);
  });

  it('joins data lines, skips comments and drops an event the stream cut off', async () => {
    const events = await read([': keep-alive\n\n', 'data: one\ndata: two\n\n', 'data: cut']);

    expect(events).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });

  it('keeps multi-byte characters split between pieces whole', async () => {
    const bytes = new TextEncoder().encode('data: café ☕\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const events = [];
    for await (const event of readServerSentEvents(stream)) events.push(event);

    expect(events).toEqual([{ event: 'message', data: 'café ☕' }]);
  });
});
