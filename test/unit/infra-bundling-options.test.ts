import { describe, expect, it } from 'vitest';
import { bundleFileName, esbuildOptions } from '../../infra/bundling/esbuild-options.ts';

describe('Lambda bundle options', () => {
  it('build minified, tree-shaken Node 22 ESM with source maps and only the optional supports-color external', () => {
    const options = esbuildOptions('/p/functions/x/handler.ts', '/out/index.mjs');
    expect(options).toMatchObject({
      entryPoints: ['/p/functions/x/handler.ts'],
      outfile: '/out/index.mjs',
      bundle: true,
      treeShaking: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      sourcemap: true,
      sourcesContent: false,
      external: ['supports-color'],
    });
    expect(options.banner?.js).toContain('createRequire');
  });

  it('let the bench vary only what it compares', () => {
    const options = esbuildOptions('/e.ts', '/o.mjs', { external: ['@aws-sdk/*'], metafile: true });
    expect(options.external).toEqual(['@aws-sdk/*']);
    expect(options.metafile).toBe(true);
    expect(options.minify).toBe(true);
  });

  it("name an extra entry's bundle after its file", () => {
    expect(bundleFileName('functions/ingest/parse-worker.ts')).toBe('parse-worker.mjs');
    expect(bundleFileName('shared/x/worker.mts')).toBe('worker.mjs');
    expect(bundleFileName('C:\\p\\worker.ts')).toBe('worker.mjs');
  });
});
