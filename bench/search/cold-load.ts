/**
 * One cold container's load of a namespace from its stored snapshot, for `run.ts`: a
 * fresh process (new heap, code not yet compiled, no memory touched yet), which first
 * makes one Redis round trip, as a function's authentication does before any search,
 * then times `KnowledgeIndex.view`. It reports over IPC, beside the machine's cost of
 * touching fresh memory in the same process: a cold load writes about 65 MB it never
 * had, and on a virtual machine that cost moves from hour to hour.
 */
import { KnowledgeIndex } from '#shared/knowledge/index/index.ts';
import { createBulkReader, createRedisClient } from '#shared/platform/redis/index.ts';

export interface ColdLoadReport {
  ms: number;
  /** From the start of the load to the first hybrid top-10 answered, text included. */
  firstSearchMs: number;
  cpuMs: number;
  chunks: number;
  /** Milliseconds to write 10 MB of newly allocated memory, once the load is done. */
  freshMemoryMsPer10Mb: number;
}

const [url, token, tenant, namespace] = process.argv.slice(2) as [string, string, string, string];
const settings = { url, token };
const redis = createRedisClient(settings);
await redis.ping();
// The parent starts counting round trips and bytes from here.
process.send?.('ready');
await new Promise((resolve) => process.once('message', resolve));

const index = new KnowledgeIndex(redis, {
  maxCachedChunks: 1_000_000,
  bulkReader: createBulkReader(settings),
});
const cpu = process.cpuUsage();
const started = performance.now();
const view = await index.view({ tenant, namespace });
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
// The parent reads the load's round trips and bytes before the search adds its own.
process.send?.('loaded');
await new Promise((resolve) => process.once('message', resolve));
// Its hits' text may still be in Redis: this is what the first user waits for.
const searchStarted = performance.now();
const dimensions = view.embedder?.dimensions ?? 0;
const vector = Float32Array.from({ length: dimensions }, (_, i) => Math.sin(i + 1));
await view.search({
  text: 'lo mi nu ka',
  vector,
  embedder: { id: view.embedder?.id ?? '', dimensions },
  k: 10,
  mode: 'hybrid',
});
const firstSearchMs = ms + (performance.now() - searchStarted);

const touchStarted = performance.now();
new Uint8Array(64 * 2 ** 20).fill(1);
const touchMs = performance.now() - touchStarted;

const report: ColdLoadReport = {
  ms,
  firstSearchMs,
  cpuMs: (used.user + used.system) / 1000,
  chunks: view.chunkCount,
  freshMemoryMsPer10Mb: (touchMs / (64 * 2 ** 20)) * 10e6,
};
process.send?.(report);
process.disconnect();
