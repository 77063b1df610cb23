/**
 * Knowledge-index benchmark: for 10k and 100k chunks at the configured embedding
 * dimension, against a real redis-server behind the local Upstash gateway (in a child
 * process, as Upstash is remote), prints cold load time and bytes (from the stored
 * snapshot, and in full before one exists), warm top-10 latency per mode
 * (median and p99), Redis round trips per warm query, memory per 100k chunks, and the
 * int8 vectors' recall@10 against exact float32 search, with float32 brute force and the
 * no-SIMD JavaScript scorer as baselines.
 *
 *   npm run bench:search            (BENCH_SEARCH_SIZES=10000 for a quick run)
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { KnowledgeIndex, type SearchMode } from '#shared/knowledge/index/index.ts';
import { quantize } from '#shared/knowledge/index/vector-codec.ts';
import { VectorStore } from '#shared/knowledge/index/vector-store.ts';
import { loadConfigFromEnv } from '#shared/platform/config/index.ts';
import { createBulkReader, createRedisClient } from '#shared/platform/redis/index.ts';
import { startRemoteServices } from '../lib/remote-services.ts';
import { ms, summarize } from '../lib/stats.ts';
import type { ColdLoadReport } from './cold-load.ts';
import { syntheticCorpus } from './synthetic-corpus.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const QUERIES = 300;
/** Cold loads from the snapshot, each in a fresh process. */
const COLD_RUNS = 5;
const WARMUP = 30;
const sizes = (process.env.BENCH_SEARCH_SIZES ?? '10000,100000').split(',').map(Number);
const dimensions = loadConfigFromEnv({ ...process.env, OPENAI_API_KEY: '' }).openai
  .embeddingDimensions;
const embedder = { id: 'bench:synthetic', dimensions };

const stack = await startRemoteServices();
const redis = () => createRedisClient(stack.redis);
console.log(
  `knowledge index benchmark: dimension ${dimensions}, ${QUERIES - WARMUP} timed queries per mode (after ${WARMUP} warm-up), k=10`,
);

try {
  for (const size of sizes) await benchmark(size);
} finally {
  await stack.stop();
}

async function benchmark(size: number): Promise<void> {
  const ref = { tenant: 'bench', namespace: `kb-${size}` };
  const corpus = syntheticCorpus(size, dimensions, QUERIES);
  const documentCount = corpus.documents.length;

  const writer = new KnowledgeIndex(redis());
  const started = performance.now();
  for (const { document, chunks, vectors } of corpus.documents) {
    await writer.putDocument(ref, document, chunks, { embedder, vectors });
  }
  const writeSeconds = (performance.now() - started) / 1000;

  // Exact float32 rows for the recall baseline, int8 rows for the no-SIMD baseline; the
  // corpus itself is then dropped so only the index's memory is measured.
  const exactRows = new Float32Array(size * dimensions);
  const jsStore = new VectorStore(dimensions, { simd: false });
  jsStore.reserve(size);
  let row = 0;
  for (const { vectors } of corpus.documents) {
    const quantized = quantize(vectors, dimensions);
    for (const [index, vector] of vectors.entries()) {
      exactRows.set(vector, row * dimensions);
      jsStore.set(row, quantized.values.subarray(index * dimensions, (index + 1) * dimensions));
      row += 1;
    }
  }
  const rowOf = (documentId: string, ordinal: number) =>
    Number(documentId.slice(4)) * 100 + ordinal;
  const queries = corpus.queries;
  corpus.documents.length = 0;

  // A fresh container with no snapshot stored: the full load, after which it writes one.
  // As `getKnowledgeIndex` builds it in a function: snapshot segments read by the bulk reader.
  const options = { maxCachedChunks: 1_000_000, bulkReader: createBulkReader(stack.redis) };
  const first = new KnowledgeIndex(redis(), options);
  const full = await measure(() => first.view(ref));
  const writing = await measure(() => first.snapshotWritesSettled());

  // Cold containers, each a fresh process: the load from the snapshot.
  const cold: Awaited<ReturnType<typeof coldLoad>>[] = [];
  for (let run = 0; run < COLD_RUNS; run += 1) cold.push(await coldLoad(ref));
  const coldMs = cold.map((run) => run.report.ms).sort((a, b) => a - b);

  // The same load in this process, whose memory is measured and which then serves the
  // warm queries.
  await collectGarbage();
  const before = usedMemory();
  const reader = new KnowledgeIndex(redis(), options);
  const view = await reader.view(ref);
  // The first search starts loading the text the load left in Redis; memory counts it.
  const opening = queries[0] as (typeof queries)[number];
  await view.search({ ...opening, embedder, k: 10, mode: 'hybrid' });
  await reader.textLoadsSettled();
  await collectGarbage();
  const after = usedMemory();
  const bytes = after.total - before.total;

  console.log(
    `\n${size.toLocaleString('en')} chunks (${documentCount} documents of 100 chunks, ~90 words each)`,
  );
  console.log(
    `  ingest: ${writeSeconds.toFixed(1)} s (${Math.round(size / writeSeconds)} chunks/s, one request per document)`,
  );
  const firstCold = cold[0] as (typeof cold)[number];
  console.log(
    `  cold load from the snapshot, ${COLD_RUNS} fresh processes: median ${ms(coldMs[Math.floor(COLD_RUNS / 2)] as number)} ` +
      `(${coldMs.map((value) => ms(value)).join(', ')}; the first after the write: ${ms(firstCold.report.ms)}), ` +
      `${firstCold.trips} round trips, ${firstCold.report.chunks} chunks, ${mb(firstCold.received)} received, ${mb(firstCold.sent)} sent; ` +
      `first hybrid top-10 answered after median ${ms(median(cold.map((run) => run.report.firstSearchMs)))}; ` +
      `loader CPU median ${ms(median(cold.map((run) => run.report.cpuMs)))}; ` +
      `fresh memory on this machine: ${ms(median(cold.map((run) => run.report.freshMemoryMsPer10Mb)))} per 10 MB written`,
  );
  console.log(
    `  cold load without a snapshot (every document): ${ms(full.ms)} in ${full.trips} round trips, ` +
      `${mb(full.received)} received; then writing the snapshot: ${ms(writing.ms)}, ${mb(writing.sent)} sent`,
  );
  console.log(
    `  memory: ${mib(bytes)} (JS heap ${mib(after.heap - before.heap)}, vectors and typed arrays ${mib(after.external - before.external)}), ` +
      `${mib((bytes / size) * 100_000)} per 100k chunks`,
  );

  for (const mode of ['vector', 'lexical', 'hybrid'] as SearchMode[]) {
    const scoring: number[] = [];
    const endToEnd: number[] = [];
    for (const [i, query] of queries.entries()) {
      if (i === WARMUP) await stack.resetCounts();
      const t0 = performance.now();
      const fresh = await reader.view(ref);
      const t1 = performance.now();
      await fresh.search({ text: query.text, vector: query.vector, embedder, k: 10, mode });
      const t2 = performance.now();
      if (i >= WARMUP) {
        scoring.push(t2 - t1);
        endToEnd.push(t2 - t0);
      }
    }
    const trips = (await stack.counts()).redisRequests / (queries.length - WARMUP);
    const inMemory = summarize(scoring);
    const total = summarize(endToEnd);
    console.log(
      `  warm ${mode.padEnd(7)} top-10: in-memory median ${ms(inMemory.median)}, p99 ${ms(inMemory.p99)}; ` +
        `with the freshness round trip median ${ms(total.median)}, p99 ${ms(total.p99)}; ` +
        `${trips.toFixed(2)} round trips/query`,
    );
  }

  const exactTimes: number[] = [];
  const jsTimes: number[] = [];
  let overlap = 0;
  for (const query of queries.slice(WARMUP)) {
    let t0 = performance.now();
    const exact = bruteForce(exactRows, size, query.vector, 10);
    exactTimes.push(performance.now() - t0);
    t0 = performance.now();
    jsStore.dots(query.vector, size);
    jsTimes.push(performance.now() - t0);
    const hits = await view.search({
      text: '',
      vector: query.vector,
      embedder,
      k: 10,
      mode: 'vector',
    });
    const found = new Set(hits.map((hit) => rowOf(hit.documentId, hit.ordinal)));
    overlap += exact.filter((id) => found.has(id)).length;
  }
  const exactSummary = summarize(exactTimes);
  const jsSummary = summarize(jsTimes);
  console.log(
    `  baseline float32 brute force: median ${ms(exactSummary.median)}, p99 ${ms(exactSummary.p99)}; ` +
      `int8 dot products without SIMD: median ${ms(jsSummary.median)}, p99 ${ms(jsSummary.p99)}`,
  );
  console.log(
    `  int8 recall@10 against exact float32 search: ${(overlap / ((queries.length - WARMUP) * 10)).toFixed(4)}`,
  );
}

/** One cold load in a fresh process (see `cold-load.ts`), with what the gateway saw. */
async function coldLoad(ref: { tenant: string; namespace: string }) {
  const child = fork(
    new URL('cold-load.ts', import.meta.url),
    [stack.redis.url, stack.redis.token, ref.tenant, ref.namespace],
    { stdio: 'inherit' },
  );
  // Counted from when the child is ready: its first round trip is not the load's.
  await once(child, 'message');
  await stack.resetCounts();
  child.send('load');
  await once(child, 'message');
  const counts = await stack.counts();
  child.send('search');
  const [report] = (await once(child, 'message')) as [ColdLoadReport];
  await once(child, 'exit');
  return {
    report,
    trips: counts.redisRequests,
    received: counts.redisBytesReceived,
    sent: counts.redisBytesSent,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Time, round trips and bytes of one operation against the services. */
async function measure(
  operation: () => Promise<unknown>,
): Promise<{ ms: number; trips: number; received: number; sent: number }> {
  await stack.resetCounts();
  const started = performance.now();
  await operation();
  const elapsed = performance.now() - started;
  const counts = await stack.counts();
  return {
    ms: elapsed,
    trips: counts.redisRequests,
    received: counts.redisBytesReceived,
    sent: counts.redisBytesSent,
  };
}

/** Full collections with pauses, so freed typed-array memory is really released. */
async function collectGarbage(): Promise<void> {
  for (let i = 0; i < 3; i += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function usedMemory(): { heap: number; external: number; total: number } {
  // WebAssembly memory and typed arrays count as `external`.
  const { heapUsed, external } = process.memoryUsage();
  return { heap: heapUsed, external, total: heapUsed + external };
}

/** Transfer in decimal megabytes, as bandwidth is billed. */
function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function bruteForce(rows: Float32Array, count: number, query: Float32Array, k: number): number[] {
  const scores = new Float32Array(count);
  for (let r = 0; r < count; r += 1) {
    let sum = 0;
    const offset = r * dimensions;
    for (let j = 0; j < dimensions; j += 1)
      sum += (query[j] as number) * (rows[offset + j] as number);
    scores[r] = sum;
  }
  return Array.from(scores.keys())
    .sort((a, b) => (scores[b] as number) - (scores[a] as number))
    .slice(0, k);
}
