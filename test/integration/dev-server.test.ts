import { spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEventStream } from '../support/server-sent-events.ts';

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

  it("runs the README's chat: a document added, then a streamed answer that cites it, offline", async () => {
    // Prepare: a fresh data folder and no model key, as on a fresh clone.
    const dataDir = mkdtempSync(join(tmpdir(), 'dev-chat-'));
    const child = spawn(process.execPath, ['local/dev.ts'], {
      env: { PATH: process.env.PATH, PORT: '0', DEV_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no key printed:\n${output}`)), 45_000);
        const onData = (data: Buffer) => {
          output += data.toString();
          if (/export AGENT_API_KEY=\S+/.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) =>
          reject(new Error(`npm run dev exited with ${code}:\n${output}`)),
        );
      });
      const url = /export AGENT_API_URL=(\S+)/.exec(output)?.[1] as string;
      const key = /export AGENT_API_KEY=(\S+)/.exec(output)?.[1] as string;
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

      // Act
      const added = await fetch(`${url}/v1/documents`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          text: '# Refunds\n\nRefunds are issued within 14 days of purchase by the billing team.\n',
          contentType: 'text/markdown',
          title: 'Billing FAQ',
          source: 'faq/billing.md',
        }),
      });
      const streamed = await fetch(`${url}/v1/chat`, {
        method: 'POST',
        headers: { ...headers, accept: 'text/event-stream' },
        body: JSON.stringify({ userId: 'alice', message: 'How long do refunds take?' }),
      });
      const events = parseEventStream(await streamed.text());

      // Assess
      expect(added.status).toBe(201);
      expect(events.map((event) => event.event)).toContain('delta');
      expect(events[0]?.data.mode).toBe('offline');
      const answer = events
        .filter((event) => event.event === 'delta')
        .map((event) => event.data.text)
        .join('');
      expect(answer).toContain(
        'Refunds are issued within 14 days of purchase by the billing team. [1]',
      );
      expect(events.at(-1)).toMatchObject({
        event: 'done',
        data: { citations: [{ n: 1, title: 'Billing FAQ', source: 'faq/billing.md' }] },
      });
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);
});
