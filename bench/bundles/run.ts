/**
 * Bundle benchmark: builds every catalog function with the construct's esbuild options
 * and prints, per function, the minified (and gzipped) bundle size, module init time in
 * a fresh Node.js process next to a bare handler's, whether importing calls AWS, and the
 * packages the bundle carries. Fails if a bundle carries a package its code does not import.
 *
 *   npm run bench:bundles            (RUNS=40 for more samples)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { stop as stopEsbuild } from 'esbuild';
import { functionCatalog } from '#functions/catalog.ts';
import { entryOf } from '#functions/function-definition.ts';
import { inspectPackages } from '../../infra/bundling/bundle-packages.ts';
import { bundleFileName } from '../../infra/bundling/esbuild-options.ts';
import { summarize } from '../lib/stats.ts';
import { type BuiltBundle, buildBundle } from './build.ts';
import { measureInitInterleaved, secretFetchAtImport } from './measure-init.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
const runs = Math.max(20, Number(process.env.RUNS ?? 20));
// Self-contained bundles go outside the project, so nothing can resolve from node_modules.
const outRoot = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
// The external-SDK variant must resolve @aws-sdk/* from node_modules, standing in for
// the copy in the Lambda runtime; it is built under bench/results (git-ignored).
const externalRoot = join(projectRoot, 'bench', 'results', 'bundles-external-sdk');

interface Row {
  name: string;
  bundle: BuiltBundle;
  init: ReturnType<typeof summarize>;
  initNoSourceMaps: ReturnType<typeof summarize>;
  external?: { bundle: BuiltBundle; init: ReturnType<typeof summarize> };
  secretFetch?: { requests: number; unhandledRejections: number };
}

type BuiltRow = Omit<Row, 'init' | 'initNoSourceMaps' | 'external'> & { external?: BuiltBundle };

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const pad = (value: string, width: number) => value.padEnd(width);
const padLeft = (value: string, width: number) => value.padStart(width);

async function main() {
  console.log(
    `Bundle benchmark: Node ${process.version}, ${runs} fresh processes per figure, in rounds over every function\n`,
  );
  const entries: { name: string; entry: string; extraEntries?: string[] }[] = [
    { name: 'bare-handler', entry: join(projectRoot, 'bench/bundles/baseline-handler.ts') },
    ...functionCatalog.map((definition) => ({
      name: definition.name,
      entry: join(projectRoot, entryOf(definition)),
      extraEntries: definition.extraEntryPoints ?? [],
    })),
  ];

  const built: BuiltRow[] = [];
  let failures = 0;
  const extraRows: { name: string; bundle: BuiltBundle }[] = [];
  for (const { name, entry, extraEntries = [] } of entries) {
    const bundle = await buildBundle(projectRoot, entry, join(outRoot, name));
    const external = await buildBundle(projectRoot, entry, join(externalRoot, name), {
      externalSdk: true,
    });
    const row: BuiltRow = { name, bundle };
    if (external.bytes !== bundle.bytes) row.external = external;
    if (name !== 'bare-handler') row.secretFetch = await secretFetchAtImport(bundle.outfile);
    built.push(row);

    failures += printPackages(name, bundle, entry);

    // Extra entry points (e.g. a parser worker) ship in the same package: size and
    // packages only, since a worker module expects to be started as a worker.
    for (const extra of extraEntries) {
      const fileName = bundleFileName(extra);
      const extraEntry = join(projectRoot, extra);
      const extraBundle = await buildBundle(projectRoot, extraEntry, join(outRoot, name), {
        fileName,
      });
      extraRows.push({ name: `${name}/${fileName}`, bundle: extraBundle });
      failures += printPackages(`${name}/${fileName}`, extraBundle, extraEntry);
    }
  }

  // esbuild's service process stays alive after a build and takes CPU from the imports
  // being timed on a small machine (~40 ms per init measured on 2 cores): stop it first.
  await stopEsbuild();
  // Every function is measured in the same rounds (see measureInitInterleaved).
  const files = built.map((row) => row.bundle.outfile);
  const withMaps = measureInitInterleaved(files, runs);
  const withoutMaps = measureInitInterleaved(files, runs, { sourceMaps: false });
  const externals = built.flatMap((row) => (row.external ? [row.external.outfile] : []));
  const externalSamples = measureInitInterleaved(externals, runs);
  const rows: Row[] = built.map(({ external, ...row }, index) => ({
    ...row,
    init: summarize(withMaps[index] ?? []),
    initNoSourceMaps: summarize(withoutMaps[index] ?? []),
    ...(external
      ? {
          external: {
            bundle: external,
            init: summarize(externalSamples[externals.indexOf(external.outfile)] ?? []),
          },
        }
      : {}),
  }));

  const base = rows[0] as Row;
  console.log('\nPer function (as deployed):');
  console.log(
    `${pad('function', 16)} ${padLeft('minified', 12)} ${padLeft('gzip', 11)} ${padLeft('init median', 12)} ${padLeft('p90', 9)} ${padLeft('x bare', 7)} ${padLeft('no maps', 9)}  secret fetch at import`,
  );
  for (const row of rows) {
    console.log(
      `${pad(row.name, 16)} ${padLeft(`${row.bundle.bytes} B`, 12)} ${padLeft(kb(row.bundle.gzipBytes), 11)} ${padLeft(`${row.init.median.toFixed(1)} ms`, 12)} ${padLeft(`${row.init.p90.toFixed(1)} ms`, 9)} ${padLeft((row.init.median / base.init.median).toFixed(1), 7)} ${padLeft(`${row.initNoSourceMaps.median.toFixed(1)} ms`, 9)}  ${describeSecretFetch(row.secretFetch)}`,
    );
  }
  for (const row of extraRows) {
    console.log(
      `${pad(row.name, 16)} ${padLeft(`${row.bundle.bytes} B`, 12)} ${padLeft(kb(row.bundle.gzipBytes), 11)}  (extra entry point, shipped next to index.mjs)`,
    );
  }
  const withSdk = rows.filter((candidate) => candidate.external);
  console.log(
    withSdk.length > 0
      ? '\nAWS SDK v3: bundled (deployed) vs left to the runtime copy (@aws-sdk/* external):'
      : '\nAWS SDK v3: no bundle imports it (the settings are read with a signed HTTPS call).',
  );
  for (const row of withSdk) {
    const external = row.external as NonNullable<Row['external']>;
    console.log(
      `${pad(row.name, 16)} bundled ${padLeft(`${row.bundle.bytes} B`, 10)} ${padLeft(`${row.init.median.toFixed(1)} ms`, 9)}   external ${padLeft(`${external.bundle.bytes} B`, 10)} + runtime SDK ${padLeft(`${external.init.median.toFixed(1)} ms`, 9)}`,
    );
  }
  console.log(
    '\nInit = time for `await import(bundle)` to resolve in a fresh `node --enable-source-maps`\n' +
      '(median and p90; "no maps" = median without the flag),\n' +
      'with CONFIG_SECRET_ARN set and the Secrets Manager endpoint pointed at 127.0.0.1:9 so the\n' +
      'prefetch started at import fails fast instead of reaching AWS.',
  );

  rmSync(outRoot, { recursive: true, force: true });
  if (failures > 0) {
    console.error(`\n${failures} package(s) bundled that the function does not import.`);
    process.exit(1);
  }
}

/** Prints the packages in one bundle; returns how many it carries without importing them. */
function printPackages(label: string, bundle: BuiltBundle, entry: string): number {
  const report = inspectPackages(bundle.metafile, bundle.outfile, entry, projectRoot);
  console.log(`${label}: ${report.packages.length} packages`);
  for (const pkg of report.packages) {
    console.log(
      `  ${pad(pkg.name, 36)} ${padLeft(kb(pkg.bytes), 10)}  via ${relative(projectRoot, join(projectRoot, pkg.via))}`,
    );
  }
  for (const unexpected of report.unexpected) {
    console.log(
      `  !! ${unexpected} is bundled but not imported by ${label}'s code or its dependencies`,
    );
  }
  return report.unexpected.length;
}

function describeSecretFetch(fetch: Row['secretFetch']): string {
  if (!fetch) return '-';
  if (fetch.requests === 0) return 'no';
  const failure =
    fetch.unhandledRejections > 0
      ? `; a failed fetch is an unhandled rejection (${fetch.unhandledRejections})`
      : '';
  return `yes, ${fetch.requests} request(s) to the mock endpoint${failure}`;
}

await main();
