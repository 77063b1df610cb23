import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalOpenAiServer, startOpenAiServer } from '#local/openai-server.ts';

describe('local OpenAI-compatible server with the real openai SDK', () => {
  let server: LocalOpenAiServer;
  let client: OpenAI;
  beforeAll(async () => {
    server = await startOpenAiServer();
    client = new OpenAI({
      apiKey: server.apiKey,
      baseURL: server.baseUrl,
      maxRetries: 0,
      timeout: 2_000,
    });
  });
  afterAll(async () => server.close());
  beforeEach(() => server.clearRequests());

  it('embeds a batch deterministically at the requested dimension', async () => {
    const response = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: [
        'refund policy for annual plans',
        'refund policy for annual plans',
        'kubernetes ingress',
      ],
      dimensions: 64,
    });
    const [a, b, c] = response.data.map((item) => item.embedding);
    expect(a).toHaveLength(64);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(server.requestsTo('/embeddings')).toHaveLength(1);
    expect(response.usage.total_tokens).toBeGreaterThan(0);
  });

  it('answers chat completions and records the request', async () => {
    server.setChatResponder((messages) => `echo:${messages.at(-1)?.content}`);
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(completion.choices[0]?.message.content).toBe('echo:ping');
    expect(server.requestsTo('/chat/completions')[0]?.body).toMatchObject({ model: 'gpt-4o-mini' });
  });

  it('streams chat completions as server-sent events', async () => {
    server.setChatResponder(() => 'one two three');
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
    });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      chunks += 1;
    }
    expect(text).toBe('one two three');
    expect(chunks).toBeGreaterThan(3);
  });

  it('fails on request with 429 and 500, then recovers', async () => {
    server.failNext({ kind: 'status', status: 429, path: '/embeddings', retryAfterSeconds: 7 });
    await expect(client.embeddings.create({ model: 'm', input: 'x' })).rejects.toMatchObject({
      status: 429,
    });
    server.failNext({ kind: 'status', status: 500, path: '/chat/completions' });
    await expect(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 500 });
    const recovered = await client.embeddings.create({ model: 'm', input: 'x' });
    expect(recovered.data).toHaveLength(1);
  });

  it('lets the SDK retry an injected fault and counts every attempt', async () => {
    const retrying = new OpenAI({ apiKey: server.apiKey, baseURL: server.baseUrl, maxRetries: 2 });
    server.failNext({
      kind: 'status',
      status: 500,
      times: 2,
      path: '/embeddings',
      retryAfterSeconds: 0,
    });
    const response = await retrying.embeddings.create({ model: 'm', input: 'retry me' });
    expect(response.data).toHaveLength(1);
    expect(server.requestsTo('/embeddings')).toHaveLength(3);
  });

  it('hangs on request so client timeouts can be exercised', async () => {
    server.failNext({ kind: 'hang', ms: 1_500, path: '/chat/completions' });
    const impatient = new OpenAI({
      apiKey: server.apiKey,
      baseURL: server.baseUrl,
      maxRetries: 0,
      timeout: 200,
    });
    await expect(
      impatient.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toThrow(/timed out/i);
  });

  it('rejects a wrong API key with 401', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: server.baseUrl, maxRetries: 0 });
    await expect(wrong.embeddings.create({ model: 'm', input: 'x' })).rejects.toMatchObject({
      status: 401,
    });
  });
});
