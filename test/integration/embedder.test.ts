import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalOpenAiServer, startOpenAiServer } from '#local/openai-server.ts';
import {
  createEmbedder,
  MAX_INPUT_TOKENS,
  OFFLINE_EMBEDDER_ID,
  offlineEmbedding,
} from '#shared/knowledge/embeddings/index.ts';
import { parseConfig } from '#shared/platform/config/index.ts';
import { ModelUnavailableError } from '#shared/platform/errors/index.ts';

describe('OpenAI embedder against a local OpenAI-compatible server', () => {
  let server: LocalOpenAiServer;
  beforeAll(async () => {
    server = await startOpenAiServer();
  });
  afterAll(async () => server.close());
  beforeEach(() => server.clearRequests());

  const configWith = (settings: Record<string, string> = {}) =>
    parseConfig({
      OPENAI_API_KEY: server.apiKey,
      OPENAI_BASE_URL: server.baseUrl,
      OPENAI_EMBEDDING_MODEL: 'text-embedding-3-small',
      EMBEDDING_DIMENSIONS: '128',
      OPENAI_MAX_RETRIES: '0',
      OPENAI_TIMEOUT_MS: '300',
      ...settings,
    });

  interface EmbeddingsBody {
    input: string[];
    model: string;
    dimensions: number;
  }

  it('sends the configured model and dimensions, batched by input count, keeping order', async () => {
    // Prepare
    const embedder = createEmbedder(configWith({ EMBEDDING_BATCH_MAX_INPUTS: '2' }));
    const texts = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];

    // Act
    const vectors = await embedder.embed(texts);

    // Assess
    expect(embedder.id).toBe('openai:text-embedding-3-small');
    expect(embedder.dimensions).toBe(128);
    const bodies = server
      .requestsTo('/embeddings')
      .map((request) => request.body as EmbeddingsBody);
    expect(bodies.map((body) => body.input)).toEqual([
      ['alpha', 'beta'],
      ['gamma', 'delta'],
      ['epsilon'],
    ]);
    expect(
      bodies.every((body) => body.model === 'text-embedding-3-small' && body.dimensions === 128),
    ).toBe(true);
    expect(vectors).toHaveLength(5);
    texts.forEach((text, i) => {
      expect(Array.from(vectors[i] as Float32Array)).toEqual(
        Array.from(offlineEmbedding(text, 128)),
      );
    });
  });

  it('batches by tokens and cuts an input longer than the model accepts', async () => {
    // Prepare
    const embedder = createEmbedder(configWith({ EMBEDDING_BATCH_MAX_TOKENS: '1000' }));
    const medium = 'word '.repeat(600);
    const huge = 'token '.repeat(MAX_INPUT_TOKENS + 500);

    // Act
    await embedder.embed([medium, medium, 'short', huge]);

    // Assess
    const bodies = server
      .requestsTo('/embeddings')
      .map((request) => request.body as EmbeddingsBody);
    expect(bodies.map((body) => body.input.length)).toEqual([1, 2, 1]);
    const sent = bodies[2]?.input[0] as string;
    expect(sent.length).toBeLessThan(huge.length);
    expect(sent.split(' ').length).toBeLessThanOrEqual(MAX_INPUT_TOKENS + 1);
  });

  it('keeps CJK text within the token limit, which counts more tokens than characters', async () => {
    // Prepare: 600 Hangul syllables are 600 characters but over 1,000 tokens.
    const embedder = createEmbedder(configWith({ EMBEDDING_BATCH_MAX_TOKENS: '2000' }));
    const korean = '한국어'.repeat(200);
    const { encode } = await import('gpt-tokenizer/encoding/cl100k_base');

    // Act
    await embedder.embed([korean, korean, korean]);

    // Assess: every request fits the token limit, counted the way the provider counts.
    const bodies = server
      .requestsTo('/embeddings')
      .map((request) => request.body as EmbeddingsBody);
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) {
      const tokens = body.input.reduce((sum, input) => sum + encode(input).length, 0);
      expect(tokens).toBeLessThanOrEqual(2000);
    }
  });

  it('turns 429, 5xx and timeouts into ModelUnavailableError', async () => {
    // Prepare
    const embedder = createEmbedder(configWith());

    // Act / Assess
    server.failNext({ kind: 'status', status: 429, path: '/embeddings', retryAfterSeconds: 7 });
    const limited = await embedder.embed(['x']).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(ModelUnavailableError);
    expect((limited as ModelUnavailableError).retryAfterSeconds).toBe(7);

    server.failNext({ kind: 'status', status: 503, path: '/embeddings' });
    await expect(embedder.embed(['x'])).rejects.toBeInstanceOf(ModelUnavailableError);

    server.failNext({ kind: 'hang', ms: 1_000, path: '/embeddings' });
    await expect(embedder.embed(['x'])).rejects.toBeInstanceOf(ModelUnavailableError);
  });

  it("retries outages only as long as the request's deadline allows", async () => {
    // Prepare: retries and a timeout that together would run far past the deadline.
    const embedder = createEmbedder(
      configWith({ OPENAI_MAX_RETRIES: '5', OPENAI_TIMEOUT_MS: '20000' }),
    );
    // Two failures: a third attempt, if one were made, would succeed.
    server.failNext({ kind: 'status', status: 500, path: '/embeddings', times: 2 });

    // Act
    const outcome = await embedder
      .embed(['x'], { deadline: Date.now() + 2_000 })
      .catch((error: unknown) => error);

    // Assess: tried at once and after 500 ms; the next backoff plus an attempt would not fit.
    expect(outcome).toBeInstanceOf(ModelUnavailableError);
    expect(server.requestsTo('/embeddings')).toHaveLength(2);
  });

  it('cuts a hanging request off at the deadline, not at the configured timeout', async () => {
    // Prepare
    const embedder = createEmbedder(configWith({ OPENAI_TIMEOUT_MS: '20000' }));
    server.failNext({ kind: 'hang', ms: 5_000, path: '/embeddings' });
    const deadline = Date.now() + 1_500;

    // Act
    const outcome = await embedder.embed(['x'], { deadline }).catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(ModelUnavailableError);
    expect(server.requestsTo('/embeddings')).toHaveLength(1);
    expect(Date.now()).toBeLessThan(deadline + 1_000);
  });

  it('turns a refused connection into ModelUnavailableError', async () => {
    // Prepare
    const embedder = createEmbedder(configWith({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }));

    // Act / Assess
    await expect(embedder.embed(['x'])).rejects.toBeInstanceOf(ModelUnavailableError);
  });

  it('is the offline embedder when no API key is configured, with no request made', async () => {
    // Prepare
    const embedder = createEmbedder(parseConfig({ EMBEDDING_DIMENSIONS: '64' }));

    // Act
    const [vector] = await embedder.embed(['refund policy']);

    // Assess
    expect(embedder.id).toBe(OFFLINE_EMBEDDER_ID);
    expect(vector).toHaveLength(64);
    expect(server.requests).toHaveLength(0);
  });
});
