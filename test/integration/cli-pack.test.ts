import { execFile } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminKeySettings } from '../support/admin-key.ts';
import { runCli, useBuiltCli } from '../support/cli.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-cli-pack-tests';
const redis = useLocalRedis();
// No model key: offline mode, as on a fresh clone.
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  OPENAI_API_KEY: '',
  LOG_LEVEL: 'SILENT',
}));
const cli = useBuiltCli();
const scratch = mkdtempSync(join(tmpdir(), 'agent-cli-pack-'));
const prefix = join(scratch, 'prefix');

/**
 * The first `node` on PATH outside the project: the one a person's shell would run the
 * installed `agent` with (npm scripts put the project's pinned Node.js 22 first).
 */
function systemNodeDirectory(): string {
  const directories = (process.env.PATH ?? '').split(delimiter);
  const found = directories.find((directory) => {
    if (directory.includes('node_modules')) return false;
    try {
      accessSync(join(directory, 'node'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  return found ?? dirname(process.execPath);
}

let nodeVersion = '';
const installed = (args: string[], input?: string) =>
  runCli(join(prefix, 'bin', 'agent'), args, {
    env: {
      PATH: [join(prefix, 'bin'), systemNodeDirectory(), '/usr/bin', '/bin'].join(delimiter),
      HOME: scratch,
      AGENT_CONFIG_DIR: join(scratch, 'config'),
      AGENT_API_URL: api.url,
      AGENT_API_KEY: ADMIN_KEY,
    },
    cwd: scratch,
    ...(input === undefined ? {} : { input }),
  });

beforeAll(async () => {
  const run = promisify(execFile);
  // Packed and installed with no registry: the package has no dependencies to fetch.
  const npm = [
    '--offline',
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    '--cache',
    join(scratch, 'npm-cache'),
  ];
  await run('npm', ['pack', dirname(cli.bin), '--pack-destination', scratch, ...npm]);
  const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack made no tarball');
  await run('npm', ['install', '--global', '--prefix', prefix, join(scratch, tarball), ...npm]);
  nodeVersion = (await run(join(systemNodeDirectory(), 'node'), ['--version'])).stdout.trim();
  mkdirSync(join(scratch, 'kb'));
  writeFileSync(
    join(scratch, 'kb', 'leave.md'),
    '# Leave\n\nEveryone gets twenty-five days of paid leave a year.\n',
  );
}, 60_000);

describe('the packed CLI, installed with npm install -g', () => {
  it('prints its help', async () => {
    const help = await installed(['--help']);

    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: agent [options] [command]');
    expect(Number(/^v(\d+)/.exec(nodeVersion)?.[1])).toBeGreaterThanOrEqual(20);
  });

  it('ingests and answers with citations in offline mode', async () => {
    const ingested = await installed(['ingest', 'kb']);
    const asked = await installed(['ask', 'How many days of leave?', '--user', 'gina']);

    expect(ingested.code).toBe(0);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toContain('Offline mode');
    expect(asked.stdout).toContain('twenty-five days of paid leave');
    expect(asked.stdout).toContain('[1] Leave · leave.md › Leave');
  });

  it('also runs in place: npm run agent and npx agent', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    const env = {
      PATH: process.env.PATH,
      HOME: scratch,
      npm_config_cache: join(scratch, 'npm-cache'),
    };

    const viaScript = await runCli('npm', ['run', '--silent', 'agent', '--', '--version'], {
      env,
      cwd: root,
    });
    const viaNpx = await runCli('npx', ['--offline', 'agent', '--version'], { env, cwd: root });

    expect(viaScript).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(viaNpx).toMatchObject({ code: 0, stdout: `${version}\n` });
  });
});
