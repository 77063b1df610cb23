/**
 * PDF engine benchmark: the same PDFs (the generated report and the real documents in
 * `test/fixtures/pdf/`) through every engine in `pdf-engines.ts`, each engine in a fresh
 * process so one's JIT and heap cannot colour the next. Prints pages/s, the
 * non-whitespace characters each engine extracted per file, and how many of them differ
 * from what the current engine (the first listed) extracted.
 *
 *   npm run bench:pdf-engines   (BENCH_INGEST_PAGES=50 BENCH_PDF_ROUNDS=1 for a quick run)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { summarize } from '../lib/stats.ts';
import { PDF_ENGINES } from './pdf-engines.ts';

const RUNS = Number(process.env.BENCH_PDF_RUNS ?? 3);
const ROUNDS = Number(process.env.BENCH_PDF_ROUNDS ?? 3);
const probe = fileURLToPath(new URL('./pdf-engine-probe.ts', import.meta.url));

interface FileResult {
  file: string;
  pages?: number;
  characters?: number;
  samplesMs?: number[];
  histogram?: Record<string, number>;
  loadMs: number;
  error?: string;
}

/** One probe process: every file through one engine. */
function probeRun(engine: string): FileResult[] | undefined {
  const run = spawnSync(process.execPath, [probe, engine, String(RUNS)], {
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 16 * 2 ** 20,
  });
  if (run.status !== 0) {
    console.error(`${engine} failed:\n${run.stderr}`);
    process.exitCode = 1;
    return undefined;
  }
  return run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as FileResult);
}

// Rounds over all engines, so that a slow stretch of a shared machine falls on each alike;
// each engine's samples of every round are pooled.
const results = new Map<string, FileResult[]>();
for (let round = 0; round < ROUNDS; round += 1) {
  for (const engine of PDF_ENGINES) {
    const fresh = probeRun(engine.name);
    if (!fresh) continue;
    const pooled = results.get(engine.name);
    if (!pooled) {
      results.set(engine.name, fresh);
      continue;
    }
    for (const [index, result] of fresh.entries()) {
      const into = pooled[index];
      if (into?.samplesMs && result.samplesMs) into.samplesMs.push(...result.samplesMs);
    }
  }
}

/**
 * Characters the current engine found that this one did not, and the reverse, counted as
 * multisets (so a glyph read as another character counts once each way).
 */
function unlike(result: FileResult, current: FileResult | undefined): string {
  if (!current?.histogram || !result.histogram) return '';
  let missing = 0;
  let extra = 0;
  for (const character of new Set([
    ...Object.keys(current.histogram),
    ...Object.keys(result.histogram),
  ])) {
    const difference = (result.histogram[character] ?? 0) - (current.histogram[character] ?? 0);
    if (difference < 0) missing -= difference;
    else extra += difference;
  }
  return `−${missing.toLocaleString('en')} / +${extra.toLocaleString('en')}`;
}

const [currentEngine] = PDF_ENGINES;
const current = results.get(currentEngine?.name ?? '') ?? [];
console.log(
  `PDF engines: median of ${RUNS * ROUNDS} runs (${ROUNDS} rounds of a fresh process per engine, ${RUNS} runs after a warm-up each)`,
);
console.log(
  `| engine | load | file | pages | pages/s | characters | unlike ${currentEngine?.name} (missing / extra) |`,
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const engine of PDF_ENGINES) {
  for (const result of results.get(engine.name) ?? []) {
    const cells = result.error
      ? ['', 'failed', result.error.slice(0, 60), '']
      : [
          String(result.pages),
          Math.round(
            ((result.pages ?? 0) / summarize(result.samplesMs ?? []).median) * 1000,
          ).toLocaleString('en'),
          (result.characters ?? 0).toLocaleString('en'),
          unlike(
            result,
            current.find((other) => other.file === result.file),
          ),
        ];
    const load = `${Math.round(result.loadMs)} ms`;
    console.log(`| ${engine.name} | ${load} | ${result.file} | ${cells.join(' | ')} |`);
  }
}
console.log('\nengines:');
for (const engine of PDF_ENGINES) {
  console.log(`  ${engine.name}: ${engine.package}; ${engine.licence}`);
}
