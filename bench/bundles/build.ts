import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions } from '../../infra/bundling/esbuild-options.ts';

export interface BuiltBundle {
  outfile: string;
  bytes: number;
  gzipBytes: number;
  metafile: Metafile;
}

/**
 * Builds one entry exactly as the CDK construct does (shared options), into `outDir`.
 * `externalSdk` leaves `@aws-sdk/*` to the Lambda runtime's copy, for comparison only.
 */
export async function buildBundle(
  projectRoot: string,
  entry: string,
  outDir: string,
  { externalSdk = false, fileName = 'index.mjs' } = {},
): Promise<BuiltBundle> {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, fileName);
  const result = await build({
    ...esbuildOptions(entry, outfile, {
      metafile: true,
      ...(externalSdk ? { external: ['@aws-sdk/*'] } : {}),
    }),
    absWorkingDir: projectRoot,
  });
  if (!result.metafile) throw new Error(`esbuild returned no metafile for ${entry}`);
  const code = readFileSync(outfile);
  return {
    outfile,
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    metafile: result.metafile,
  };
}
