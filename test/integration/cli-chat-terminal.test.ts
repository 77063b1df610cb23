import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useChatApi } from '../support/chat-api.ts';
import { useBuiltCli } from '../support/cli.ts';
import { runInTerminal } from '../support/terminal.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-cli-terminal-tests';
const fixture = useChatApi(ADMIN_KEY);
const { api } = fixture;
const cli = useBuiltCli();
const scratch = mkdtempSync(join(tmpdir(), 'agent-cli-terminal-'));
const env = () => ({ AGENT_API_URL: api.url, AGENT_API_KEY: ADMIN_KEY, HOME: cli.home });

const LONG_ANSWER = Array.from({ length: 60 }, (_, n) => `word${n}`).join(' ');

beforeAll(async () => {
  mkdirSync(join(scratch, 'kb'));
  writeFileSync(
    join(scratch, 'kb', 'leave.md'),
    '# Leave\n\nEveryone gets twenty-five days of paid leave a year.\n\n## Carry over\n\nUp to five unused days carry over.\n',
  );
  const ingested = await cli.run(['ingest', 'kb'], { env: env(), cwd: scratch });
  if (ingested.code !== 0) throw new Error(`ingest failed: ${ingested.stderr}`);
});

describe('agent chat in a terminal', () => {
  it('streams two turns, starts a new conversation, stops an answer and leaves on Ctrl-C', async () => {
    // Prepare: answers that cite, written a word at a time.
    fixture.model.setChatResponder((messages) => {
      const last = messages.at(-1)?.content ?? '';
      if (last.includes('essay')) return LONG_ANSWER;
      if (last.includes('And how many days')) return 'Up to five unused days carry over [1].';
      return 'Everyone gets twenty-five days of paid leave a year [1].';
    });
    const terminal = runInTerminal(
      [process.execPath, cli.bin, 'chat', '--user', 'frank'],
      env(),
      scratch,
    );
    await terminal.waitFor('you> ');

    // Act and assess: turn one, streamed (its words arrive over time).
    fixture.model.failNext({ kind: 'slow-stream', msPerDelta: 60, path: '/chat/completions' });
    let from = terminal.text().length;
    terminal.type('How much leave do I get?\r');
    await terminal.waitFor('[1] Leave · leave.md › Leave', from);
    const first = terminal.chunks.find((chunk) => chunk.text.includes('Everyone'));
    const last = terminal.chunks.find((chunk) => chunk.text.includes('[1].'));
    expect((last?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThan(300);

    // Turn two, in two lines (a trailing backslash continues), in the same conversation.
    from = await terminal.waitFor('you> ', from);
    terminal.type('And how many days\\\r');
    await terminal.waitFor('...> ', from);
    terminal.type('carry over?\r');
    from = await terminal.waitFor('Up to five unused days carry over [1].', from);
    await terminal.waitFor('[1] Leave · leave.md › Leave', from);
    const secondRequest = fixture.model.requestsTo('/chat/completions').at(-1)?.body as {
      messages: { role: string; content: string }[];
    };
    expect(secondRequest.messages.at(-1)?.content).toContain('And how many days\ncarry over?');
    expect(JSON.stringify(secondRequest.messages)).toContain('How much leave do I get?');

    // The last answer's passages in full.
    from = await terminal.waitFor('you> ', from);
    terminal.type('/sources\r');
    await terminal.waitFor('[1] (cited) Leave · leave.md › Leave', from);
    await terminal.waitFor('Up to five unused days carry over.', from);
    await terminal.waitFor('Everyone gets twenty-five days of paid leave a year.', from);

    // A new conversation, whose answer is stopped by Ctrl-C once it has started.
    from = await terminal.waitFor('you> ', from + 1);
    terminal.type('/new\r');
    from = await terminal.waitFor('Started a new conversation.', from);
    fixture.model.failNext({ kind: 'slow-stream', msPerDelta: 100, path: '/chat/completions' });
    terminal.type('Write me an essay\r');
    from = await terminal.waitFor('word2 ', from);
    terminal.type('\u0003');
    from = await terminal.waitFor('[stopped]', from);
    await terminal.waitFor('you> ', from);
    expect(terminal.text()).not.toContain('word59');

    // Ctrl-C at the prompt leaves cleanly.
    terminal.type('\u0003');
    expect(await terminal.exited).toBe(0);

    // The first conversation holds both turns; the stopped one stored nothing, even once
    // the model would have finished its answer (60 deltas 100 ms apart).
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    const listed = JSON.parse(
      (await cli.run(['--json', 'conversations', 'ls', '--user', 'frank'], { env: env() })).stdout,
    );
    expect(listed.conversations).toEqual([expect.objectContaining({ turnCount: 2 })]);
  });

  it('draws a progress bar while ingesting, and asks for the key at login without echoing it', async () => {
    mkdirSync(join(scratch, 'more'));
    writeFileSync(join(scratch, 'more', 'parking.md'), '# Parking\n\nStaff park for free.\n');
    const configDir = join(cli.home, 'terminal-config');

    const ingest = runInTerminal([process.execPath, cli.bin, 'ingest', 'more'], env(), scratch);
    const login = runInTerminal(
      [process.execPath, cli.bin, 'login', '--url', api.url, '--profile', 'tty'],
      { ...env(), AGENT_CONFIG_DIR: configDir },
      scratch,
    );
    await login.waitFor('API key (not shown): ');
    login.type(`${ADMIN_KEY}\r`);

    expect(await ingest.exited).toBe(0);
    expect(ingest.text()).toMatch(/█+ 1\/1 file · (\d+) B\/\1 B · 1 chunk · 0 errors/);
    expect(await login.exited).toBe(0);
    expect(login.text()).toContain('as profile "tty"');
    expect(login.text()).not.toContain(ADMIN_KEY);
  });
});
