/** One server-sent event: its name (`message` when none) and its data lines joined. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Reads server-sent events as they arrive. Lines end in LF, CRLF or CR; comments
 * (`:` lines) are ignored; an event is dispatched at each blank line.
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let end = lineEnd(buffer, done);
      while (end) {
        const line = buffer.slice(0, end.at);
        buffer = buffer.slice(end.at + end.length);
        if (line === '') {
          if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
          event = '';
          data = [];
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const raw = colon === -1 ? '' : line.slice(colon + 1);
          const text = raw.startsWith(' ') ? raw.slice(1) : raw;
          if (field === 'event') event = text;
          else if (field === 'data') data.push(text);
        }
        end = lineEnd(buffer, done);
      }
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Where the first complete line ends. A CR at the end of what has arrived may be the first
 * half of a CRLF, so it ends a line only once the stream has ended.
 */
function lineEnd(buffer: string, ended: boolean): { at: number; length: number } | undefined {
  const lf = buffer.indexOf('\n');
  const cr = buffer.indexOf('\r');
  if (cr !== -1 && (lf === -1 || cr < lf)) {
    if (cr === buffer.length - 1 && !ended) return undefined;
    return { at: cr, length: buffer[cr + 1] === '\n' ? 2 : 1 };
  }
  return lf === -1 ? undefined : { at: lf, length: 1 };
}
