import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callApi, issueKey } from '../support/api-client.ts';
import { useChatApi } from '../support/chat-api.ts';
import { chatStreamRequest, streamChat } from '../support/server-sent-events.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-chat-fault-tests-00001';
// Short attempts and one retry keep each fault within a second or two.
const chatApi = useChatApi(ADMIN_KEY, { OPENAI_TIMEOUT_MS: '400', OPENAI_MAX_RETRIES: '1' });
const { api } = chatApi;

let key: string;
let conversationId: string;
beforeAll(async () => {
  key = await issueKey(api, ADMIN_KEY, 'acme', ['chat']);
  const first = await chat('the first, stored turn');
  conversationId = first.json.conversationId;
});
beforeEach(() => chatApi.model.clearRequests());

function chat(message: string, extra: Record<string, unknown> = {}) {
  return callApi(api, 'POST', '/v1/chat', key, { userId: 'una', message, ...extra });
}

/** The user's conversation, memory and keys, to show a failed turn changed nothing. */
async function snapshot() {
  const conversation = await callApi(
    api,
    'GET',
    `/v1/conversations/${conversationId}?userId=una`,
    key,
  );
  const memory = await callApi(api, 'GET', '/v1/users/una/memory', key);
  return { turns: conversation.json.turns, memories: memory.json.memories };
}

describe('model faults during a chat turn', () => {
  it.each([
    { name: '429 with Retry-After', fault: { kind: 'status', status: 429, retryAfterSeconds: 1 } },
    { name: '500', fault: { kind: 'status', status: 500 } },
    { name: 'a hang past the timeout', fault: { kind: 'hang', ms: 1_500 } },
  ] as const)(
    'answers 503 with Retry-After after $name on every attempt, and stores nothing',
    async ({ fault }) => {
      // Prepare
      const before = await snapshot();
      chatApi.model.failNext({ ...fault, times: 2, path: '/chat/completions' });

      // Act
      const failed = await chat('a turn the model fails', { conversationId });

      // Assess: retried once, then a clean 503 with a request id; the conversation is as it was.
      expect(failed.status).toBe(503);
      expect(failed.json.error).toMatchObject({ code: 'model_unavailable' });
      expect(failed.json.error.requestId).toMatch(/\S/);
      expect(Number(failed.headers.get('retry-after'))).toBeGreaterThan(0);
      if (fault.kind === 'status' && fault.status === 429) {
        expect(failed.headers.get('retry-after')).toBe('1');
      }
      expect(chatApi.model.requestsTo('/chat/completions')).toHaveLength(2);
      expect(await snapshot()).toEqual(before);

      // A retry is safe: it answers and stores the turn once.
      const retried = await chat('a turn the model fails', { conversationId });
      expect(retried.status).toBe(200);
      const after = await snapshot();
      expect(after.turns).toHaveLength(before.turns.length + 1);
    },
  );

  it('recovers within the turn when a retry succeeds', async () => {
    chatApi.model.failNext({ kind: 'status', status: 500, times: 1, path: '/chat/completions' });

    const answered = await chat('recovers after one 500');

    expect(answered.status).toBe(200);
    expect(chatApi.model.requestsTo('/chat/completions')).toHaveLength(2);
  });

  it('ends a stream that breaks mid-answer with an error event, and stores nothing', async () => {
    const before = await snapshot();
    chatApi.model.failNext({ kind: 'cut-stream', path: '/chat/completions' });

    const response = await streamChat(api, key, {
      userId: 'una',
      message: 'a long answer that breaks off halfway through the stream',
      conversationId,
    });
    const { events } = response;

    expect(response.status).toBe(200);
    expect(events[0]?.event).toBe('meta');
    expect(events.some((event) => event.event === 'delta')).toBe(true);
    expect(events.at(-1)).toMatchObject({
      event: 'error',
      data: { error: { code: 'model_unavailable' } },
    });
    expect(events.some((event) => event.event === 'done')).toBe(false);
    // Text had reached the caller: the turn is not retried inside the function.
    expect(chatApi.model.requestsTo('/chat/completions')).toHaveLength(1);
    expect(await snapshot()).toEqual(before);
  });

  it('sends an error event when the model fails after retrieval on a streamed turn', async () => {
    chatApi.model.failNext({ kind: 'status', status: 503, times: 2, path: '/chat/completions' });

    const { events } = await streamChat(api, key, {
      userId: 'una',
      message: 'streamed into an outage',
    });

    expect(events.map((event) => event.event)).toEqual(['meta', 'error']);
    expect(events[1]?.data.error.code).toBe('model_unavailable');
    expect(events[1]?.data.error.requestId).toMatch(/\S/);
  });

  it('answers 503 when the embeddings request fails, before anything is streamed', async () => {
    chatApi.model.failNext({ kind: 'status', status: 500, times: 2, path: '/embeddings' });

    const failed = await chat('no embedding for this one');

    expect(failed.status).toBe(503);
    expect(failed.json.error.code).toBe('model_unavailable');
    expect(chatApi.model.requestsTo('/chat/completions')).toHaveLength(0);
  });

  it('frees the Idempotency-Key of a failed turn, so the retry runs', async () => {
    chatApi.model.failNext({ kind: 'status', status: 500, times: 2, path: '/chat/completions' });
    const headers = { 'idempotency-key': 'retry-after-failure' };

    const failed = await callApi(
      api,
      'POST',
      '/v1/chat',
      key,
      { userId: 'una', message: 'x' },
      headers,
    );
    const retried = await callApi(
      api,
      'POST',
      '/v1/chat',
      key,
      { userId: 'una', message: 'x' },
      headers,
    );

    expect(failed.status).toBe(503);
    expect(retried.status).toBe(200);
  });

  it('retries a stream that goes quiet before its first token, and answers', async () => {
    chatApi.model.failNext({ kind: 'stall-stream', ms: 1_500, path: '/chat/completions' });

    const answered = await chat('quiet at first');

    expect(answered.status).toBe(200);
    expect(chatApi.model.requestsTo('/chat/completions')).toHaveLength(2);
  });

  it('ends a stream that goes quiet mid-answer with an error event within the timeout, storing nothing', async () => {
    const before = await snapshot();
    chatApi.model.failNext({
      kind: 'stall-stream',
      ms: 5_000,
      afterPieces: 2,
      path: '/chat/completions',
    });
    const started = Date.now();

    const { events } = await streamChat(api, key, {
      userId: 'una',
      message: 'an answer that stops and never resumes',
      conversationId,
    });

    expect(Date.now() - started).toBeLessThan(3_000);
    expect(events.filter((event) => event.event === 'delta').length).toBe(2);
    expect(events.at(-1)).toMatchObject({
      event: 'error',
      data: { error: { code: 'model_unavailable' }, retryAfterSeconds: 5 },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('retries an empty answer, then answers 503, storing nothing', async () => {
    const before = await snapshot();
    chatApi.model.setChatResponder(() => '');
    try {
      const failed = await chat('an answer with no text', { conversationId });

      expect(failed.status).toBe(503);
      expect(failed.json.error.code).toBe('model_unavailable');
      expect(chatApi.model.requestsTo('/chat/completions')).toHaveLength(2);
      expect(await snapshot()).toEqual(before);
    } finally {
      chatApi.model.setChatResponder((messages) => `Echo: ${messages.at(-1)?.content.slice(-20)}`);
    }
  });

  it.each([
    { status: 400, code: 'model_rejected', expected: 502 },
    { status: 401, code: 'model_misconfigured', expected: 503 },
    { status: 404, code: 'model_misconfigured', expected: 503 },
  ])(
    'maps a provider $status to $expected $code without retrying',
    async ({ status, code, expected }) => {
      chatApi.model.failNext({ kind: 'status', status, path: '/chat/completions' });

      const failed = await chat('a request the provider refuses');

      expect(failed.status).toBe(expected);
      expect(failed.json.error.code).toBe(code);
      expect(chatApi.model.requestsTo('/chat/completions')).toHaveLength(1);
    },
  );

  it('stops the turn and stores nothing when the client closes the stream mid-answer', async () => {
    const before = await snapshot();
    chatApi.model.failNext({ kind: 'slow-stream', msPerDelta: 100, path: '/chat/completions' });
    chatApi.model.setChatResponder(() =>
      Array.from({ length: 30 }, (_, i) => `word${i}`).join(' '),
    );
    const client = new AbortController();
    try {
      const response = await api.request('/v1/chat', {
        ...chatStreamRequest(key, { userId: 'una', message: 'a long answer', conversationId }),
        signal: client.signal,
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let seen = '';
      while (!seen.includes('word2')) {
        const { value } = await reader.read();
        seen += new TextDecoder().decode(value);
      }

      // Act: the client goes away two words in.
      client.abort();

      // Assess: once the model would have finished (30 deltas 100 ms apart), nothing was stored.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      expect(await snapshot()).toEqual(before);
    } finally {
      chatApi.model.setChatResponder((messages) => `Echo: ${messages.at(-1)?.content.slice(-20)}`);
    }
  });
});
