import { describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '#shared/knowledge/embeddings/offline-embedder.ts';
import {
  indexDocument,
  KNOWLEDGE_BASE_NAMESPACE,
  KnowledgeIndex,
} from '#shared/knowledge/index/index.ts';
import { SEARCH_RESULTS_MAX_BYTES } from '#shared/knowledge/index/search-response-budget.ts';
import { createRedisClient } from '#shared/platform/redis/index.ts';
import { METADATA_MAX_BYTES, metadataBytes } from '#shared/platform/validation/metadata-size.ts';
import { adminKeySettings } from '../support/admin-key.ts';
import { issueKey } from '../support/api-client.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-search-size-tests-0001';
const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  LOG_LEVEL: 'SILENT',
}));

/** The costliest text there is: every control character is escaped as six characters, twice. */
const hostile = (length: number, word = '') =>
  `${word} ${'\u0001'.repeat(Math.max(0, length - word.length - 1))}`.slice(0, length);

describe('search response size', () => {
  it('stays under its byte budget and Lambda’s 6 MB with every cap at its largest and k at 50', async () => {
    // Prepare: one document whose 50 chunks, title, source, headings and metadata are
    // each at their cap, in the characters that grow most when escaped.
    const metadata = Object.fromEntries(
      Array.from({ length: 4 }, (_, index) => [`k${index}`, hostile(METADATA_MAX_BYTES / 4 - 2)]),
    );
    expect(metadataBytes(metadata)).toBe(METADATA_MAX_BYTES);
    const embedder = createOfflineEmbedder(512);
    await indexDocument(
      new KnowledgeIndex(createRedisClient(redis.stack)),
      embedder,
      { tenant: 'big', namespace: KNOWLEDGE_BASE_NAMESPACE },
      { id: 'big', title: hostile(300), source: hostile(1024), contentHash: 'h', metadata },
      Array.from({ length: 50 }, (_, index) => ({
        text: hostile(8_000, `budget${index} budget`),
        headingPath: Array.from({ length: 6 }, () => hostile(200)),
        pageRange: null,
        offsets: { start: 0, end: 8_000 },
      })),
    );
    const reader = await issueKey(api, ADMIN_KEY, 'big', ['documents:read']);

    // Act
    const response = await api.request('/v1/search', {
      method: 'POST',
      headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'budget', k: 50 }),
    });
    const body = await response.text();

    // Assess: measured as Lambda would carry it (the body escaped again in its envelope).
    expect(response.status).toBe(200);
    const envelopeBytes = Buffer.byteLength(JSON.stringify(body));
    expect(envelopeBytes).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
    expect(envelopeBytes).toBeLessThanOrEqual(SEARCH_RESULTS_MAX_BYTES + 1024);
    const { results } = JSON.parse(body) as {
      results: { text: string; textOmitted: boolean; snippet: string; metadata: object }[];
    };
    expect(results).toHaveLength(50);
    expect(results[0]).toMatchObject({ textOmitted: false, metadata });
    expect(results[0]?.text).toHaveLength(8_000);
    const omitted = results.filter((result) => result.textOmitted);
    expect(omitted.length).toBeGreaterThan(0);
    for (const result of omitted) {
      expect(result.text).toBe('');
      expect(result.snippet).not.toBe('');
    }
    // Text is left out only from the bottom of the ranking.
    expect(results.findIndex((result) => result.textOmitted)).toBe(50 - omitted.length);
  });
});
