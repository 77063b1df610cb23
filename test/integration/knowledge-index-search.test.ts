import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalOpenAiServer, startOpenAiServer } from '#local/openai-server.ts';
import { createEmbedder } from '#shared/knowledge/embeddings/index.ts';
import {
  indexDocument,
  KNOWLEDGE_BASE_NAMESPACE,
  KnowledgeIndex,
  searchKnowledge,
  searchRequestSchema,
  searchResponseSchema,
} from '#shared/knowledge/index/index.ts';
import { parseConfig } from '#shared/platform/config/index.ts';
import { useLocalRedis } from '#test/support/local-redis.ts';

const redisFixture = useLocalRedis();

describe('searchKnowledge (POST /v1/search)', () => {
  let server: LocalOpenAiServer;
  beforeAll(async () => {
    server = await startOpenAiServer();
  });
  afterAll(async () => server.close());

  it('answers with cited chunks in one embeddings request and one Redis round trip when warm', async () => {
    // Prepare
    const config = parseConfig({
      OPENAI_API_KEY: server.apiKey,
      OPENAI_BASE_URL: server.baseUrl,
      EMBEDDING_DIMENSIONS: '64',
      OPENAI_MAX_RETRIES: '0',
    });
    const redis = redisFixture.client();
    const services = { config, redis };
    const embedder = createEmbedder(config);
    const index = new KnowledgeIndex(redis);
    const ref = { tenant: 'acme', namespace: KNOWLEDGE_BASE_NAMESPACE };
    await indexDocument(
      index,
      embedder,
      ref,
      {
        id: 'handbook',
        title: 'Employee handbook',
        source: 'handbook.pdf',
        contentHash: 'h1',
        metadata: { team: 'people' },
      },
      [
        {
          text: 'Annual leave is 25 days per year.',
          headingPath: ['Leave', 'Annual'],
          pageRange: { from: 3, to: 4 },
          offsets: { start: 0, end: 33 },
        },
        {
          text: 'Expenses are reimbursed monthly.',
          headingPath: ['Money'],
          pageRange: { from: 9, to: 9 },
          offsets: { start: 34, end: 66 },
        },
      ],
    );
    await index.view(ref);
    server.clearRequests();
    redisFixture.stack.gateway.resetRequestCount();
    const request = searchRequestSchema.parse({ query: 'how many days of annual leave', k: 1 });

    // Act
    const response = await searchKnowledge(services, 'acme', request, { index, embedder });

    // Assess
    expect(searchResponseSchema.parse(response)).toEqual(response);
    expect(response.mode).toBe('hybrid');
    expect(response.results).toHaveLength(1);
    expect(response.results[0]).toMatchObject({
      documentId: 'handbook',
      title: 'Employee handbook',
      source: 'handbook.pdf',
      headingPath: ['Leave', 'Annual'],
      pageRange: { from: 3, to: 4 },
      offsets: { start: 0, end: 33 },
      metadata: { team: 'people' },
      snippet: 'Annual leave is 25 days per year.',
    });
    expect(response.results[0]?.scores.vector).toBeGreaterThan(0);
    expect(server.requestsTo('/embeddings')).toHaveLength(1);
    expect(redisFixture.stack.gateway.requestCount).toBe(1);

    // Lexical search needs no embedding at all.
    server.clearRequests();
    const lexical = await searchKnowledge(
      services,
      'acme',
      searchRequestSchema.parse({ query: 'reimbursed', mode: 'lexical' }),
      { index, embedder },
    );
    expect(lexical.results.map((hit) => hit.headingPath)).toEqual([['Money']]);
    expect(server.requestsTo('/embeddings')).toHaveLength(0);
  });

  it('validates the request: bad fields are named', () => {
    const parsed = searchRequestSchema.safeParse({
      query: '',
      k: 500,
      mode: 'fuzzy',
      filter: { documentIds: ['bad id!'] },
      extra: 1,
    });
    expect(parsed.success).toBe(false);
    const paths = parsed.error?.issues.map((issue) => issue.path.join('.')).sort();
    expect(paths).toEqual(['', 'filter.documentIds.0', 'k', 'mode', 'query']);
    expect(searchRequestSchema.parse({ query: 'x' })).toEqual({ query: 'x', k: 8, mode: 'hybrid' });
  });
});
