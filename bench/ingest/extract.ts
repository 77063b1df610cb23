/**
 * Ingestion benchmark on a generated 300-page PDF:
 * 1. extraction through the worker-thread extractor (cold and warm; the in-process
 *    extraction in the same run is the baseline for the worker's overhead), then every
 *    chunking strategy: pages/s, chunks/s;
 * 2. end to end (`ingestDocument`) against a real redis-server behind the Upstash gateway
 *    and the local OpenAI-compatible server: embedding requests (against
 *    ceil(chunks / batch limit)) and Redis round trips, for a first ingest and for the
 *    same file again;
 * and the peak RSS of the whole run.
 *
 *   npm run bench:ingest            (BENCH_INGEST_PAGES=50 for a quick run)
 */

import { extractDocument } from '#shared/knowledge/documents/extract-document.ts';
import {
  CHUNKING_STRATEGIES,
  chunkDocument,
  DEFAULT_CHUNKING,
  DocumentExtractor,
  documentLimits,
} from '#shared/knowledge/documents/index.ts';
import { parseConfig } from '#shared/platform/config/index.ts';
import { ms, summarize } from '../lib/stats.ts';
import { runEndToEnd } from './end-to-end.ts';
import { generatedPdf } from './generated-pdf.ts';

const PAGES = Number(process.env.BENCH_INGEST_PAGES ?? 300);
const RUNS = 5;
const limits = documentLimits(parseConfig({}).limits);

async function timed<T>(run: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

async function medianOf<T>(
  run: () => Promise<T> | T,
): Promise<{ value: T; median: number; p90: number }> {
  const samples: number[] = [];
  let value: T | undefined;
  for (let index = 0; index < RUNS; index += 1) {
    const result = await timed(run);
    samples.push(result.ms);
    value = result.value;
  }
  const { median, p90 } = summarize(samples);
  return { value: value as T, median, p90 };
}

const bytes = await generatedPdf(PAGES);
const input = { bytes, filename: 'report.pdf' };
console.log(
  `ingest extraction benchmark: ${PAGES}-page PDF, ${(bytes.length / 2 ** 20).toFixed(2)} MiB, ${RUNS} runs each`,
);

const extractor = new DocumentExtractor({ limits });
const cold = await timed(() => extractor.extract(input));
await extractor.close();
const warmUp = await timed(() => extractor.warmUp());
const afterWarmUp = await timed(() => extractor.extract(input));
const warm = await medianOf(() => extractor.extract(input));
const inProcess = await medianOf(() => extractDocument(input, limits));
await extractor.close();

const extracted = warm.value;
const perSecond = (count: number, milliseconds: number) =>
  Math.round((count / milliseconds) * 1000);
console.log(
  `  extracted: ${extracted.pages.length} pages, ${extracted.text.length.toLocaleString('en')} characters`,
);
console.log(
  `  worker, cold (spawn + load + parse): ${ms(cold.ms)}, ${perSecond(PAGES, cold.ms)} pages/s`,
);
console.log(
  `  worker, warmUp() (spawn + load parsers, for a Lambda's init phase): ${ms(warmUp.ms)}; first document after it: ${ms(afterWarmUp.ms)}`,
);
console.log(
  `  worker, warm: median ${ms(warm.median)} (p90 ${ms(warm.p90)}), ${perSecond(PAGES, warm.median)} pages/s`,
);
console.log(
  `  in-process baseline: median ${ms(inProcess.median)}, ${perSecond(PAGES, inProcess.median)} pages/s; worker/in-process = ${(warm.median / inProcess.median).toFixed(2)}`,
);

console.log(
  `  chunking (size ${DEFAULT_CHUNKING.size}, overlap ${DEFAULT_CHUNKING.overlap} characters):`,
);
for (const strategy of CHUNKING_STRATEGIES) {
  const chunking = await medianOf(() =>
    chunkDocument(extracted, { ...DEFAULT_CHUNKING, strategy }, limits.maxChunks),
  );
  const chunks = chunking.value.length;
  const endToEnd = warm.median + chunking.median;
  console.log(
    `    ${strategy.padEnd(14)} ${String(chunks).padStart(5)} chunks in ${ms(chunking.median)} (${perSecond(chunks, chunking.median).toLocaleString('en')} chunks/s); extract+chunk ${perSecond(chunks, endToEnd)} chunks/s, ${perSecond(PAGES, endToEnd)} pages/s`,
  );
}

await runEndToEnd(bytes, PAGES);

// maxRSS covers the whole process, worker threads included.
console.log(`  peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
