/**
 * `npm run bench`: every benchmark in turn, each in its own Node.js process so one's
 * heap and JIT state cannot colour the next. Figures print as each finishes.
 */
import { spawnSync } from 'node:child_process';

const benchmarks = [
  ['middleware overhead', 'bench/middleware/run.ts'],
  ['search index', 'bench/search/run.ts'],
  ['chat turn', 'bench/chat/run.ts'],
  ['document ingestion', 'bench/ingest/extract.ts'],
  ['PDF engines', 'bench/ingest/compare-pdf-engines.ts'],
  ['bundles and cold start', 'bench/bundles/run.ts'],
  ['slack events acknowledgement', 'bench/slack/run.ts'],
] as const;

let failed = 0;
for (const [name, script] of benchmarks) {
  console.log(`\n=== ${name} (${script})`);
  const run = spawnSync(process.execPath, [script], { stdio: 'inherit', env: process.env });
  if (run.status !== 0) {
    failed += 1;
    console.error(`${name} failed with exit code ${run.status}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
