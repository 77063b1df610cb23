import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/**
 * Builds the CLI into `dist/cli/`: one ES module with a shebang (commander bundled in, no
 * server code), and a package.json of its own so that `npm pack ./dist/cli` makes a
 * tarball with no dependencies that installs and runs on Node.js 20 or newer.
 */
const root = join(import.meta.dirname, '..');
// `--outdir <dir>`: tests build their own copy, so files running at once never share one.
const outdirFlag = process.argv.indexOf('--outdir');
const out =
  outdirFlag === -1 ? join(root, 'dist', 'cli') : resolve(process.argv[outdirFlag + 1] ?? '');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
};

mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: [join(root, 'cli', 'agent.ts')],
  outfile: join(out, 'agent.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  // The installed CLI runs on the user's Node.js, which may be 20 (Lambda's 22 is the server's).
  target: 'node20',
  minify: true,
  legalComments: 'none',
  // commander is CommonJS and calls require(); an ES module has to define it.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);",
  },
  define: { AGENT_CLI_VERSION: JSON.stringify(manifest.version) },
  metafile: true,
  logLevel: 'warning',
});
chmodSync(join(out, 'agent.mjs'), 0o755);

writeFileSync(
  join(out, 'package.json'),
  `${JSON.stringify(
    {
      name: 'agent-platform-cli',
      version: manifest.version,
      description:
        'The agent command: chat, ingestion, search, persona and keys of an agent platform',
      type: 'module',
      license: manifest.license,
      bin: { agent: 'agent.mjs' },
      files: ['agent.mjs', 'THIRD-PARTY-LICENSES.txt'],
      engines: { node: '>=20' },
    },
    null,
    2,
  )}\n`,
);
// The bundle carries commander; its MIT licence travels with it.
writeFileSync(
  join(out, 'THIRD-PARTY-LICENSES.txt'),
  `commander\n\n${readFileSync(join(root, 'node_modules', 'commander', 'LICENSE'), 'utf8')}`,
);
writeFileSync(join(out, 'meta.json'), JSON.stringify(result.metafile));
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
if (!process.argv.includes('--quiet')) {
  console.log(`${join(out, 'agent.mjs')}: ${Math.round(bytes / 1024)} KB`);
}
