import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** Waits until the dev server's output matches, or fails with what it printed. */
function waitFor(read: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const match = pattern.exec(read());
      if (match) {
        clearInterval(poll);
        resolve(match);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`no ${pattern} in:\n${read()}`));
      }
    }, 50);
  });
}

describe('npm run dev without Slack settings', () => {
  it('answers a sample mention sent by npm run slack:send through the local Slack stand-in, in-process', async () => {
    // Prepare: a fresh clone's setup, a document to cite.
    const dataDir = mkdtempSync(join(tmpdir(), 'dev-slack-'));
    const env = { PATH: process.env.PATH, PORT: '0', DEV_DATA_DIR: dataDir };
    const child = spawn(process.execPath, ['local/dev.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
    });
    try {
      await waitFor(() => output, /npm run slack:send/, 20_000);
      const url = /export AGENT_API_URL=(\S+)/.exec(output)?.[1] as string;
      const key = /export AGENT_API_KEY=(\S+)/.exec(output)?.[1] as string;
      const added = await fetch(`${url}/v1/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          text: '# Refunds\n\nRefunds are issued within 14 days of purchase by the billing team.\n',
          contentType: 'text/markdown',
          title: 'Billing FAQ',
          source: 'faq/billing.md',
        }),
      });

      // Act
      const sent = await promisify(execFile)(
        process.execPath,
        ['scripts/slack-send-event.ts', '--url', url, 'mention', 'How long do refunds take?'],
        { env },
      );
      const stopped = await waitFor(
        () => output,
        /slack chat\.stopStream (\S+) (\S+): ([^\n]*)/,
        20_000,
      );

      // Assess
      expect(added.status).toBe(201);
      expect(sent.stdout).toMatch(/^200 \(empty: acknowledged\)/);
      const messageTs = /message ts (\S+)/.exec(sent.stdout)?.[1];
      expect(output).toContain(`slack conversations.replies C0LOCAL001 ${messageTs}`);
      expect(output).toContain(`slack chat.startStream C0LOCAL001 ${messageTs}`);
      expect(stopped[1]).toBe('C0LOCAL001');
      expect(output).toContain(
        'Refunds are issued within 14 days of purchase by the billing team. [1]',
      );
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
