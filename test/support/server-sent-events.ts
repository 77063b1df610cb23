/** One event of a `text/event-stream` body. */
export interface ReceivedEvent {
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON payloads.
  data: any;
}

/** Splits a complete `text/event-stream` body into its events, JSON payloads parsed. */
export function parseEventStream(body: string): ReceivedEvent[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      return { event, data: JSON.parse(data) };
    });
}

/** The request of a `POST /v1/chat` that asks for server-sent events. */
export function chatStreamRequest(
  key: string,
  body: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
): RequestInit {
  return {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...extraHeaders,
    },
    body: JSON.stringify(body),
  };
}

/** Sends `POST /v1/chat` asking for server-sent events; reads the whole stream. */
export async function streamChat(
  api: { request(path: string, init?: RequestInit): Promise<Response> },
  key: string,
  body: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; events: ReceivedEvent[]; text: string }> {
  const response = await api.request('/v1/chat', chatStreamRequest(key, body, extraHeaders));
  const text = await response.text();
  const streamed = response.headers.get('content-type')?.includes('text/event-stream') ?? false;
  return {
    status: response.status,
    headers: response.headers,
    events: streamed ? parseEventStream(text) : [],
    text,
  };
}
