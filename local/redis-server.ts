import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A `redis-server` child process reachable over a Unix socket, so no TCP port can collide. */
export interface LocalRedis {
  readonly socketPath: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Keep data here between runs (append-only file). Without it, a temp dir removed on stop. */
  dataDir?: string;
  /** Binary to run; defaults to `redis-server` on PATH. */
  binary?: string;
}

export class RedisServerMissingError extends Error {
  constructor() {
    super(
      'redis-server was not found on PATH. Install it first, e.g. `sudo apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS).',
    );
    this.name = 'RedisServerMissingError';
  }
}

export function isRedisServerInstalled(binary = 'redis-server'): boolean {
  const probe = spawnSync(binary, ['--version'], { stdio: 'ignore' });
  return probe.status === 0;
}

/**
 * Starts a private `redis-server` listening only on a Unix socket and resolves once it
 * accepts connections.
 */
export async function startRedisServer(options: StartRedisOptions = {}): Promise<LocalRedis> {
  const binary = options.binary ?? 'redis-server';
  if (!isRedisServerInstalled(binary)) throw new RedisServerMissingError();

  const persistent = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'agent-redis-'));
  mkdirSync(dataDir, { recursive: true });
  // Socket paths are limited to ~107 bytes, so the socket lives in a short temp dir.
  const socketDir = mkdtempSync(join(tmpdir(), 'ars-'));
  const socketPath = join(socketDir, 'redis.sock');

  const args = [
    '--port',
    '0',
    '--unixsocket',
    socketPath,
    '--unixsocketperm',
    '700',
    '--dir',
    dataDir,
    '--save',
    '',
    '--appendonly',
    persistent ? 'yes' : 'no',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });

  await waitForSocket(child, socketPath, () => output);

  const stopOnExit = () => child.kill('SIGKILL');
  process.once('exit', stopOnExit);

  return {
    socketPath,
    dataDir,
    async stop() {
      process.off('exit', stopOnExit);
      await terminate(child);
      rmSync(socketDir, { recursive: true, force: true });
      if (!persistent) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForSocket(
  child: ChildProcess,
  socketPath: string,
  output: () => string,
): Promise<void> {
  const { existsSync } = await import('node:fs');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`redis-server exited with code ${child.exitCode}: ${output().trim()}`);
    }
    if (existsSync(socketPath)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not open ${socketPath} within 10 s: ${output().trim()}`);
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
