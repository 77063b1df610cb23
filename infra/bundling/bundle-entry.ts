/**
 * Bundles one extra entry point next to a function's handler, with the same esbuild
 * options as the handler. Run by the construct's `afterBundling` hook:
 * `node infra/bundling/bundle-entry.ts <entry.ts> <output dir>`.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleFileName, esbuildOptions } from './esbuild-options.ts';

const [entry, outputDir] = process.argv.slice(2);
if (!entry || !outputDir) {
  console.error('usage: node infra/bundling/bundle-entry.ts <entry.ts> <output dir>');
  process.exit(2);
}
await build(esbuildOptions(entry, join(outputDir, bundleFileName(entry))));
