import type { BuildOptions } from 'esbuild';

/**
 * The esbuild settings every Lambda bundle is built with. The CDK construct passes them
 * to `NodejsFunction` (which runs the esbuild CLI) and to extra entry points, and the
 * bundle benchmark passes them to esbuild's API, so what is measured is what ships.
 */
export const lambdaBundle = {
  target: 'node22',
  platform: 'node',
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  // ESM builds first: they tree-shake; `main` is the fallback for CommonJS-only packages.
  mainFields: ['module', 'main'],
  // Some dependencies are CommonJS and call require(); an ESM bundle has to define it.
  banner:
    "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  /**
   * Nothing is external: the AWS SDK v3 clients the code imports are bundled at the
   * versions pinned in package-lock.json and tree-shaken, instead of loading the copy in
   * the Lambda runtime (unpinned, unminified, many files to read at cold start).
   * `npm run bench:bundles` measures both choices.
   * `supports-color` is the one exception: `debug` (under micromark and file-type) tries
   * to require it and carries on without it; it is only installed here for a test tool.
   */
  external: ['supports-color'] as string[],
} as const;

/** Bundle file name for an entry: `index.mjs` for the handler, `<basename>.mjs` for others. */
export function bundleFileName(entryPath: string): string {
  const base = entryPath.split(/[\\/]/).pop() ?? entryPath;
  return `${base.replace(/\.[cm]?tsx?$/, '')}.mjs`;
}

/** esbuild API options for one entry written to `outfile`, equal to what the construct ships. */
export function esbuildOptions(
  entryPoint: string,
  outfile: string,
  overrides: Pick<BuildOptions, 'external' | 'metafile' | 'logLevel'> = {},
): BuildOptions {
  return {
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    treeShaking: true,
    target: lambdaBundle.target,
    platform: lambdaBundle.platform,
    format: lambdaBundle.format,
    minify: lambdaBundle.minify,
    sourcemap: lambdaBundle.sourcemap,
    sourcesContent: lambdaBundle.sourcesContent,
    mainFields: [...lambdaBundle.mainFields],
    banner: { js: lambdaBundle.banner },
    external: [...lambdaBundle.external],
    logLevel: 'warning',
    ...overrides,
  };
}
