/**
 * Knowledge-index benchmark: for 10k and 100k chunks at the configured embedding
 * dimension, against a real redis-server behind the local Upstash gateway, prints cold
 * load time, warm top-10 latency per mode (median and p99 over the queries), Redis round
 * trips per warm query, heap per 100k chunks, and int8's recall@10 against exact float32.
 *
 *   npm run bench:search            (BENCH_SEARCH_SIZES=10000 for a quick run)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startLocalRedisStack } from '#local/local-stack.ts';
import { loadConfigFromEnv } from '#shared/config/index.ts';
import { KnowledgeIndex, type SearchMode } from '#shared/knowledge-index/index.ts';
import { quantize } from '#shared/knowledge-index/vector-codec.ts';
import { VectorStore } from '#shared/knowledge-index/vector-store.ts';
import { createRedisClient } from '#shared/redis/index.ts';
import { ms, summarize } from '../lib/stats.ts';
import { syntheticCorpus } from './synthetic-corpus.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const QUERIES = 300;
const WARMUP = 30;
const sizes = (process.env.BENCH_SEARCH_SIZES ?? '10000,100000').split(',').map(Number);
const dimensions = loadConfigFromEnv({ ...process.env, OPENAI_API_KEY: '' }).openai
  .embeddingDimensions;
const embedder = { id: 'bench:synthetic', dimensions };

const stack = await startLocalRedisStack();
const redis = () => createRedisClient({ url: stack.url, token: stack.token });
console.log(
  `knowledge index benchmark: dimension ${dimensions}, ${QUERIES} queries per mode, k=10`,
);

try {
  for (const size of sizes) {
    const ref = { tenant: 'bench', namespace: `kb-${size}` };
    const corpus = syntheticCorpus(size, dimensions, QUERIES + WARMUP);

    const writer = new KnowledgeIndex(redis());
    let started = performance.now();
    for (const { document, chunks, vectors } of corpus.documents) {
      await writer.putDocument(ref, document, chunks, { embedder, vectors });
    }
    const writeSeconds = (performance.now() - started) / 1000;

    // A fresh container: cold load.
    gc();
    const heapBefore = usedMemory();
    const reader = new KnowledgeIndex(redis(), { maxCachedChunks: 1_000_000 });
    stack.gateway.resetRequestCount();
    started = performance.now();
    const view = await reader.view(ref);
    const coldMs = performance.now() - started;
    const coldTrips = stack.gateway.requestCount;
    gc();
    const heapBytes = usedMemory() - heapBefore;

    console.log(`\n${size.toLocaleString('en')} chunks (${corpus.documents.length} documents)`);
    console.log(
      `  ingest: ${writeSeconds.toFixed(1)} s (${Math.round(size / writeSeconds)} chunks/s, one request per document)`,
    );
    console.log(
      `  cold load: ${ms(coldMs)} in ${coldTrips} round trips, ${view.chunkCount} chunks`,
    );
    console.log(
      `  heap: ${(heapBytes / 2 ** 20).toFixed(1)} MiB, ${(((heapBytes / size) * 100_000) / 2 ** 20).toFixed(0)} MiB per 100k chunks`,
    );

    const queries = corpus.queries;
    for (const mode of ['vector', 'lexical', 'hybrid'] as SearchMode[]) {
      const inMemory: number[] = [];
      const endToEnd: number[] = [];
      for (const [i, query] of queries.entries()) {
        const t0 = performance.now();
        const fresh = await reader.view(ref);
        const t1 = performance.now();
        fresh.search({ text: query.text, vector: query.vector, embedder, k: 10, mode });
        const t2 = performance.now();
        if (i === WARMUP - 1) stack.gateway.resetRequestCount();
        if (i >= WARMUP) {
          inMemory.push(t2 - t1);
          endToEnd.push(t2 - t0);
        }
      }
      const trips = stack.gateway.requestCount / (queries.length - WARMUP);
      const scoring = summarize(inMemory);
      const total = summarize(endToEnd);
      console.log(
        `  warm ${mode.padEnd(7)} top-10: scoring median ${ms(scoring.median)}, p99 ${ms(scoring.p99)}; ` +
          `with the freshness round trip median ${ms(total.median)}, p99 ${ms(total.p99)}; ` +
          `${trips.toFixed(2)} round trips/query`,
      );
    }

    // Baseline and recall: exact float32 brute force over the same vectors.
    const matrix = new Float32Array(size * dimensions);
    corpus.documents.forEach(({ vectors }, d) => {
      vectors.forEach((vector, c) => {
        matrix.set(vector, (d * 100 + c) * dimensions);
      });
    });
    const exactTimes: number[] = [];
    let overlap = 0;
    for (const query of queries.slice(WARMUP)) {
      const t0 = performance.now();
      const exact = bruteForce(matrix, size, dimensions, query.vector, 10);
      exactTimes.push(performance.now() - t0);
      const hits = view.search({
        text: query.text,
        vector: query.vector,
        embedder,
        k: 10,
        mode: 'vector',
      });
      const found = new Set(hits.map((hit) => Number(hit.documentId.slice(4)) * 100 + hit.ordinal));
      overlap += exact.filter((row) => found.has(row)).length;
    }
    const exactSummary = summarize(exactTimes);
    const withoutSimd = jsFallbackTimes(
      corpus,
      size,
      queries.slice(WARMUP).map((query) => query.vector),
    );
    console.log(
      `  vector scoring without SIMD (the JavaScript fallback): median ${ms(withoutSimd.median)}, p99 ${ms(withoutSimd.p99)}`,
    );
    console.log(
      `  baseline float32 brute-force scan: median ${ms(exactSummary.median)}, p99 ${ms(exactSummary.p99)}; ` +
        `int8 recall@10 against it: ${(overlap / ((queries.length - WARMUP) * 10)).toFixed(4)}`,
    );
  }
} finally {
  await stack.stop();
}

function jsFallbackTimes(
  corpus: ReturnType<typeof syntheticCorpus>,
  size: number,
  vectors: Float32Array[],
) {
  const store = new VectorStore(dimensions, { simd: false });
  store.reserve(size);
  const quantized = corpus.documents.flatMap((document) => quantize(document.vectors, dimensions));
  let row = 0;
  for (const { values } of quantized) {
    for (let offset = 0; offset < values.length; offset += dimensions) {
      store.set(row, values.subarray(offset, offset + dimensions));
      row += 1;
    }
  }
  const times = vectors.map((vector) => {
    const t0 = performance.now();
    store.dots(vector, size);
    return performance.now() - t0;
  });
  return summarize(times);
}

function usedMemory(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

function bruteForce(
  matrix: Float32Array,
  rows: number,
  dims: number,
  query: Float32Array,
  k: number,
): number[] {
  const scores = new Float32Array(rows);
  for (let r = 0; r < rows; r += 1) {
    let sum = 0;
    const offset = r * dims;
    for (let j = 0; j < dims; j += 1) sum += (query[j] as number) * (matrix[offset + j] as number);
    scores[r] = sum;
  }
  return Array.from(scores.keys())
    .sort((a, b) => (scores[b] as number) - (scores[a] as number))
    .slice(0, k);
}
