import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  /** The Node.js binary to run it with; the test runner's by default. */
  node?: string;
}

export interface CliFixture {
  /** The built `agent.mjs`. */
  readonly bin: string;
  /** A private home for profiles (`AGENT_CONFIG_DIR`) and scratch files. */
  readonly home: string;
  run(args: string[], options?: CliRun): Promise<CliResult>;
}

/**
 * Builds the CLI into a folder of this test file's own (so files running at once never
 * share a build) and runs it as a child process, asynchronously: the API the tests start
 * runs in this process and must keep serving while the CLI waits on it.
 */
export function useBuiltCli(): CliFixture {
  let outdir: string | undefined;
  const home = mkdtempSync(join(tmpdir(), 'agent-cli-home-'));
  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'agent-cli-build-'));
    await promisify(execFile)(
      process.execPath,
      ['scripts/build-cli.ts', '--quiet', '--outdir', outdir],
      {
        cwd: ROOT,
      },
    );
  });
  return {
    home,
    get bin() {
      if (!outdir) throw new Error('useBuiltCli: the CLI is built in beforeAll');
      return join(outdir, 'agent.mjs');
    },
    run(args, options = {}) {
      return runCli(options.node ?? process.execPath, [this.bin, ...args], {
        ...options,
        env: { AGENT_CONFIG_DIR: join(home, 'config'), HOME: home, ...options.env },
      });
    },
  };
}

/** Runs a command with only the environment given (plus PATH), collecting its output. */
export function runCli(command: string, args: string[], options: CliRun = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (value !== undefined) env[name] = value;
    }
    const child = spawn(command, args, { env, cwd: options.cwd ?? ROOT, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
    });
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
