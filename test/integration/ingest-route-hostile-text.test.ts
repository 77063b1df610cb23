import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHUNKING_STRATEGIES } from '#shared/knowledge/documents/chunking/types.ts';
import { adminKeySettings } from '../support/admin-key.ts';
import { callApi, issueKey } from '../support/api-client.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

/**
 * Text shaped to make parsing or chunking slow, sent through the real ingest route. Each
 * request must end well within the parse time cap with a 2xx or a 4xx, and the event loop
 * must keep turning meanwhile: work on untrusted text belongs in the parsing worker.
 */
const ADMIN_KEY = 'bootstrap-admin-key-for-hostile-text-tests-01';
const PARSE_TIMEOUT_MS = 2_000;
/**
 * Largest pause of the event loop allowed during a request. The main thread still parses
 * the JSON body, hashes the text, embeds offline and writes, all linear and a few tens of
 * milliseconds here; a loaded 2-core machine can stretch that several times. A loop
 * blocked by backtracking or quadratic chunking stops for seconds.
 */
const MAX_EVENT_LOOP_GAP_MS = 500;
/**
 * What a request may take past the cap when its worker is stopped there (a slow parse
 * answers 422 \`parse_timeout\`): the answer and the bounded work on this thread.
 */
const PAST_CAP_MS = 1_000;

const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  // Offline embeddings: no model server, nothing but this process and redis-server.
  OPENAI_API_KEY: '',
  DOCUMENT_PARSE_TIMEOUT_MS: String(PARSE_TIMEOUT_MS),
  RATE_LIMIT_PER_MINUTE: '10000',
  LOG_LEVEL: 'SILENT',
}));

let writer = '';
beforeAll(async () => {
  writer = await issueKey(api, ADMIN_KEY, 'hostile', ['documents:write']);
  // The first document starts the parsing worker; later ones measure only their own work.
  await ingest({ text: 'Warm-up.' });
});

/** The longest gap between ticks of a 10 ms timer since the last `beforeEach`. */
let longestGap = 0;
let ticker: NodeJS.Timeout | undefined;
beforeEach(() => {
  longestGap = 0;
  let last = performance.now();
  ticker = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 10);
});
afterEach(() => clearInterval(ticker));

async function ingest(body: Record<string, unknown>) {
  const started = performance.now();
  const response = await callApi(api, 'POST', '/v1/documents', writer, body);
  return {
    status: response.status,
    code: response.json?.error?.code,
    ms: performance.now() - started,
  };
}

describe('POST /v1/documents with text shaped to exhaust the CPU', () => {
  it('sniffs 500 empty HTML comments and one character at once', async () => {
    // Prepare: the 3.5 KB body that made the HTML sniffing pattern backtrack exponentially.
    const text = `${'<!---->'.repeat(500)}x`;

    // Act
    const sniffed = await ingest({ text });
    const declared = await ingest({ text, contentType: 'text/html' });

    // Assess
    expect(sniffed).toMatchObject({ status: 201 });
    expect(declared).toMatchObject({ status: 201 });
    expect(Math.max(sniffed.ms, declared.ms)).toBeLessThan(PARSE_TIMEOUT_MS);
    expect(longestGap).toBeLessThan(MAX_EVENT_LOOP_GAP_MS);
  });

  it('refuses a window that overlaps nearly all of itself, and chunks the same text fast at half', async () => {
    // Prepare: 300 KB of spaces between two letters, the body that blocked the process.
    const text = `x${' '.repeat(300_000)}y`;

    // Act
    const refused = await ingest({
      text,
      chunking: { strategy: 'sliding_window', size: 4001, overlap: 4000 },
    });
    const halved = await ingest({
      text,
      chunking: { strategy: 'sliding_window', size: 4001, overlap: 2000 },
    });
    // 5,000 windows of 100 - 50 fresh characters cover 250,000: refused before cutting.
    const tooLong = await ingest({
      text,
      chunking: { strategy: 'recursive', size: 100, overlap: 50 },
    });
    const recursive = await ingest({ text, chunking: { strategy: 'recursive' } });

    // Assess
    expect(refused).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(halved).toMatchObject({ status: 201 });
    expect(tooLong).toMatchObject({ status: 422, code: 'too_many_chunks' });
    expect(recursive).toMatchObject({ status: 201 });
    expect(Math.max(refused.ms, halved.ms, tooLong.ms, recursive.ms)).toBeLessThan(
      PARSE_TIMEOUT_MS,
    );
    expect(longestGap).toBeLessThan(MAX_EVENT_LOOP_GAP_MS);
  });

  it('ends every generated shape within the cap with a 2xx or a 4xx, the loop turning', async () => {
    // Prepare: runs of whitespace, comment openers, separators, short lines and long words.
    const repeated = (unit: fc.Arbitrary<string>, most: number) =>
      fc
        .tuple(unit, fc.integer({ min: 1, max: most }))
        .map(([piece, count]) => piece.repeat(count));
    const segment = fc.oneof(
      repeated(fc.constantFrom(' ', '\t', '\n', '\r\n', '\u00a0', ' \n'), 100_000),
      repeated(fc.constantFrom('<!--', '<!---->', '<!-- <!-- ', '<!-', '<?xml ', '<html'), 20_000),
      repeated(fc.constantFrom('. ', '\n\n', '? ', ', ', '; ', '!!', '...'), 50_000),
      repeated(fc.constantFrom('a\n', 'word\n', '# h\n', '- i\n', '> q\n', '1. n\n'), 30_000),
      repeated(fc.constantFrom('x', 'ab', '🌍', 'é'), 100_000),
      repeated(fc.constantFrom('<div>', '<p>', '</p>', '```\n', '---\n'), 10_000),
      fc.string({ minLength: 1, maxLength: 200 }),
    );
    const text = fc
      .array(segment, { minLength: 1, maxLength: 5 })
      .map((segments) => segments.join(''))
      .filter((joined) => joined.length > 0);
    const chunking = fc
      .record({
        strategy: fc.constantFrom(...CHUNKING_STRATEGIES),
        size: fc.integer({ min: 100, max: 8_000 }),
        overlapShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
      })
      .map(({ strategy, size, overlapShare }) => ({
        strategy,
        size,
        overlap: Math.floor(size * overlapShare),
      }));
    const contentType = fc.constantFrom(undefined, 'text/plain', 'text/markdown', 'text/html');
    let runs = 0;

    // Act
    await fc.assert(
      fc.asyncProperty(text, chunking, contentType, async (body, options, type) => {
        const outcome = await ingest({ text: body, chunking: options, contentType: type });
        runs += 1;
        expect(outcome.status).toBeGreaterThanOrEqual(200);
        expect(outcome.status).toBeLessThan(500);
        expect(outcome.ms).toBeLessThan(PARSE_TIMEOUT_MS + PAST_CAP_MS);
      }),
      { numRuns: 25, seed: 20261202, endOnFailure: true },
    );

    // Assess
    expect(runs).toBe(25);
    expect(longestGap).toBeLessThan(MAX_EVENT_LOOP_GAP_MS);
  }, 120_000);
});
