import { resolve } from 'node:path';
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { inspectPackages, packageOf } from '../../infra/bundling/bundle-packages.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
const entry = resolve(projectRoot, 'functions/x/handler.ts');
const outfile = resolve(projectRoot, 'out/index.mjs');

/** A metafile as esbuild writes it: inputs with their imports, output bytes per input. */
function metafileOf(graph: Record<string, string[]>, bytes: Record<string, number>): Metafile {
  return {
    inputs: Object.fromEntries(
      Object.entries(graph).map(([path, imports]) => [
        path,
        {
          bytes: 1,
          imports: imports.map((imported) => ({
            path: imported,
            kind: 'import-statement' as const,
          })),
        },
      ]),
    ),
    outputs: {
      'out/index.mjs': {
        bytes: 1,
        imports: [],
        exports: [],
        inputs: Object.fromEntries(
          Object.entries(bytes).map(([path, bytesInOutput]) => [path, { bytesInOutput }]),
        ),
      },
    },
  };
}

describe('bundle package check', () => {
  it('names packages from node_modules paths, scoped or not', () => {
    expect(packageOf('node_modules/zod/v4/core.js')).toBe('zod');
    expect(packageOf('node_modules/@middy/core/index.js')).toBe('@middy/core');
    expect(packageOf('node_modules/a/node_modules/@s/b/x.js')).toBe('@s/b');
    expect(packageOf('shared/platform/config/load.ts')).toBeUndefined();
  });

  it('accepts declared dependencies and what they depend on', () => {
    const metafile = metafileOf(
      {
        'functions/x/handler.ts': [
          'shared/platform/rate-limit/rate-limiter.ts',
          'node_modules/zod/index.js',
        ],
        'shared/platform/rate-limit/rate-limiter.ts': ['node_modules/@upstash/ratelimit/index.js'],
        'node_modules/@upstash/ratelimit/index.js': [
          'node_modules/@upstash/core-analytics/index.js',
        ],
      },
      {
        'functions/x/handler.ts': 10,
        'node_modules/zod/index.js': 400,
        'node_modules/@upstash/ratelimit/index.js': 30,
        'node_modules/@upstash/core-analytics/index.js': 20,
      },
    );
    const report = inspectPackages(metafile, outfile, entry, projectRoot);
    expect(report.unexpected).toEqual([]);
    expect(report.packages.map((pkg) => [pkg.name, pkg.via])).toEqual([
      ['zod', 'functions/x/handler.ts'],
      ['@upstash/ratelimit', 'shared/platform/rate-limit/rate-limiter.ts'],
      ['@upstash/core-analytics', 'shared/platform/rate-limit/rate-limiter.ts'],
    ]);
  });

  it('flags a dev dependency and a package nothing imports', () => {
    const metafile = metafileOf(
      {
        'functions/x/handler.ts': ['node_modules/aws-cdk-lib/index.js'],
        'node_modules/aws-cdk-lib/index.js': [],
        'node_modules/openai/index.js': [],
      },
      {
        'node_modules/aws-cdk-lib/index.js': 100,
        'node_modules/openai/index.js': 100,
      },
    );
    const report = inspectPackages(metafile, outfile, entry, projectRoot);
    expect(report.unexpected).toEqual(['aws-cdk-lib', 'openai']);
  });

  it('ignores packages tree-shaken to nothing', () => {
    const metafile = metafileOf(
      { 'functions/x/handler.ts': [], 'node_modules/vitest/index.js': [] },
      { 'node_modules/vitest/index.js': 0 },
    );
    const report = inspectPackages(metafile, outfile, entry, projectRoot);
    expect(report).toEqual({ packages: [], unexpected: [] });
  });
});
