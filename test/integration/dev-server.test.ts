import { spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

function runDev(env: NodeJS.ProcessEnv, untilOutput: RegExp, timeoutMs = 15_000) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['local/dev.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      if (untilOutput.test(output)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm run dev', () => {
  it('exits non-zero with install instructions when redis-server is missing', async () => {
    // A PATH holding only node itself, so redis-server cannot be found.
    const binDir = mkdtempSync(join(tmpdir(), 'no-redis-'));
    symlinkSync(process.execPath, join(binDir, 'node'));
    const { code, output } = await runDev(
      { PATH: `${binDir}:${dirname('/nonexistent/x')}`, PORT: '0' },
      /$^/,
    );
    expect(code).toBe(1);
    expect(output).toMatch(/redis-server is not installed/);
    expect(output).toMatch(/apt-get install -y redis-server/);
  });

  it('names the bad setting and exits non-zero on invalid configuration', async () => {
    const { code, output } = await runDev(
      {
        PATH: process.env.PATH,
        PORT: '0',
        UPSTASH_REDIS_REST_URL: 'https://x.invalid',
        UPSTASH_REDIS_REST_TOKEN: 'tok-secret-123',
        EMBEDDING_DIMENSIONS: 'lots',
      },
      /$^/,
    );
    expect(code).toBe(1);
    expect(output).toMatch(/EMBEDDING_DIMENSIONS/);
    expect(output).not.toContain('tok-secret-123');
  });

  it('prints the URL and a ready-to-paste curl', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dev-data-'));
    const { output } = await runDev(
      { PATH: process.env.PATH, PORT: '0', DEV_DATA_DIR: dataDir },
      /curl -s \$AGENT_API_URL\/health/,
    );
    const url = /export AGENT_API_URL=(\S+)/.exec(output)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toContain('curl -s $AGENT_API_URL/health');
  });
});
