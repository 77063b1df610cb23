import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useChatApi } from '../support/chat-api.ts';
import { useBuiltCli } from '../support/cli.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-cli-chat-tests';
const fixture = useChatApi(ADMIN_KEY);
const { api } = fixture;
const cli = useBuiltCli();
const scratch = mkdtempSync(join(tmpdir(), 'agent-cli-chat-'));
const agent = (args: string[], input?: string) =>
  cli.run(args, {
    env: { AGENT_API_URL: api.url, AGENT_API_KEY: ADMIN_KEY },
    cwd: scratch,
    ...(input === undefined ? {} : { input }),
  });

beforeAll(async () => {
  fixture.model.setChatResponder(() => 'Everyone gets twenty-five days of paid leave [1].');
  mkdirSync(join(scratch, 'kb'));
  writeFileSync(
    join(scratch, 'kb', 'leave.md'),
    '# Leave\n\nEveryone gets twenty-five days of paid leave a year.\n',
  );
  const ingested = await agent(['ingest', 'kb']);
  if (ingested.code !== 0) throw new Error(`ingest failed: ${ingested.stderr}`);
});

describe('agent ask', () => {
  it('streams the answer and lists its citations under it', async () => {
    const run = await agent(['ask', 'How much leave do I get?', '--user', 'dana']);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'Everyone gets twenty-five days of paid leave [1].\n  [1] Leave · leave.md › Leave\n',
    );
  });

  it('answers whole with --json, and continues a conversation', async () => {
    const first = JSON.parse((await agent(['--json', 'ask', 'Leave?', '--user', 'dana'])).stdout);
    const again = await agent([
      '--json',
      'ask',
      'And next year?',
      '--user',
      'dana',
      '--conversation',
      first.conversationId,
    ]);

    expect(first).toMatchObject({
      answer: 'Everyone gets twenty-five days of paid leave [1].',
      citations: [{ n: 1, source: 'leave.md' }],
      mode: 'model',
    });
    expect(JSON.parse(again.stdout).conversationId).toBe(first.conversationId);
  });
});

describe('agent chat --json', () => {
  it('answers each line of stdin with one line of JSON, in one conversation', async () => {
    const run = await agent(['--json', 'chat', '--user', 'hank'], 'Hi\n\nAnd again\n');

    expect(run.code).toBe(0);
    const answers = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(answers).toHaveLength(2);
    expect(answers[0].citations).toEqual([expect.objectContaining({ source: 'leave.md' })]);
    expect(answers[1].conversationId).toBe(answers[0].conversationId);
  });
});

describe('a key bound to a user', () => {
  it('chats as its user without --user, and is refused another user', async () => {
    const created = await agent([
      '--json',
      'keys',
      'create',
      '--name',
      'ivy',
      '--scope',
      'chat',
      '--user',
      'ivy',
    ]);
    const key = JSON.parse(created.stdout) as { key: string; userId: string };
    const asIvy = (args: string[]) =>
      cli.run(args, { env: { AGENT_API_URL: api.url, AGENT_API_KEY: key.key }, cwd: scratch });

    const asked = await asIvy(['ask', 'How much leave?']);
    const listed = JSON.parse((await asIvy(['--json', 'conversations', 'ls'])).stdout);
    const other = await asIvy(['ask', 'Hi', '--user', 'someone-else']);
    const keys = await agent(['keys', 'ls']);

    expect(key.userId).toBe('ivy');
    expect(asked.code).toBe(0);
    expect(listed.conversations).toEqual([expect.objectContaining({ userId: 'ivy' })]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('user_mismatch');
    expect(keys.stdout).toMatch(/\s+ivy\s+chat\s+ivy\s+/);
  });
});

describe('agent conversations and memory', () => {
  it('pages through conversations with the cursor each page prints', async () => {
    for (const question of ['first question', 'second question', 'third question']) {
      await agent(['--json', 'ask', question, '--user', 'paula']);
    }

    const first = await agent(['conversations', 'ls', '--user', 'paula', '--limit', '2']);
    const cursor = /--cursor (\S+)/.exec(first.stdout)?.[1];
    const second = await agent([
      'conversations',
      'ls',
      '--user',
      'paula',
      '--limit',
      '2',
      '--cursor',
      String(cursor),
    ]);

    expect(first.stdout).toContain('third question');
    expect(first.stdout).toContain('second question');
    expect(cursor).toMatch(/^\d+/);
    expect(second.stdout).toContain('first question');
    expect(second.stdout).not.toContain('second question');
    expect(second.stdout).not.toContain('--cursor');
  });

  it('lists, shows and deletes conversations, and shows and forgets memory', async () => {
    const asked = JSON.parse(
      (await agent(['--json', 'ask', 'Hello there', '--user', 'erin'])).stdout,
    );

    const listed = await agent(['conversations', 'ls', '--user', 'erin']);
    const shown = await agent(['conversations', 'show', asked.conversationId, '--user', 'erin']);
    const memory = JSON.parse((await agent(['--json', 'memory', 'show', '--user', 'erin'])).stdout);
    const removed = await agent(['conversations', 'rm', asked.conversationId, '--user', 'erin']);
    const gone = await agent(['conversations', 'show', asked.conversationId, '--user', 'erin']);
    await agent(['ask', 'Remember me', '--user', 'erin']);
    const forgotten = JSON.parse(
      (await agent(['--json', 'memory', 'forget', '--user', 'erin'])).stdout,
    );
    const noUser = await agent(['memory', 'forget']);

    expect(listed.stdout).toMatch(new RegExp(`${asked.conversationId}\\s+.+\\s+1\\s+`));
    expect(shown.stdout).toContain('you> Hello there');
    expect(shown.stdout).toContain('agent> Everyone gets twenty-five days of paid leave [1].');
    expect(shown.stdout).toContain('  [1] Leave · leave.md › Leave');
    expect(memory.memories.map((entry: { text: string }) => entry.text)).toContain('Hello there');
    expect(removed).toMatchObject({
      code: 0,
      stdout: `Deleted conversation ${asked.conversationId}.\n`,
    });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('conversation_not_found');
    expect(forgotten).toMatchObject({ userId: 'erin', conversations: 1 });
    expect(noUser.code).toBe(2);
  });
});

describe('agent persona and instructions', () => {
  it('round-trips the persona through files, presets and clear', async () => {
    const mine = join(scratch, 'persona.md');
    const saved = join(scratch, 'persona-saved.md');
    writeFileSync(mine, 'You are the ACME helpdesk.\nAnswer in two sentences at most.\n');

    const before = JSON.parse((await agent(['--json', 'persona', 'get'])).stdout);
    const loaded = await agent(['persona', 'load', mine]);
    const got = await agent(['persona', 'get']);
    const written = await agent(['persona', 'save', saved]);
    const presets = JSON.parse((await agent(['--json', 'persona', 'presets'])).stdout).presets;
    const fromPreset = await agent(['persona', 'set', '--preset', presets[0].name]);
    const afterPreset = JSON.parse((await agent(['--json', 'persona', 'get'])).stdout);
    const fromStdin = await agent(['persona', 'set', '-'], 'Be kind.');
    const cleared = await agent(['persona', 'clear']);
    const after = JSON.parse((await agent(['--json', 'persona', 'get'])).stdout);
    const unknown = await agent(['persona', 'set', '--preset', 'no-such-preset']);

    expect(before.source).toBe('default');
    expect(loaded).toMatchObject({ code: 0 });
    expect(got.stdout).toContain('You are the ACME helpdesk.\nAnswer in two sentences at most.');
    expect(written.code).toBe(0);
    expect(readFileSync(saved, 'utf8')).toBe(`${readFileSync(mine, 'utf8').trimEnd()}\n`);
    expect(afterPreset).toMatchObject({ source: 'tenant', text: presets[0].text });
    expect(fromPreset.code).toBe(0);
    expect(fromStdin.code).toBe(0);
    expect(cleared.stdout).toContain('the default persona applies');
    expect(after).toEqual(before);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No preset "no-such-preset"');
  });

  it("sets another tenant's persona with the bootstrap admin key", async () => {
    const set = await agent(['persona', 'set', 'Speak like Acme.', '--tenant', 'acme']);
    const acme = JSON.parse((await agent(['--json', 'persona', 'get', '--tenant', 'acme'])).stdout);
    const own = JSON.parse((await agent(['--json', 'persona', 'get'])).stdout);

    expect(set.code).toBe(0);
    expect(acme).toMatchObject({ text: 'Speak like Acme.', source: 'tenant' });
    expect(own.text).not.toBe('Speak like Acme.');
  });

  it('manages the core instructions the same way', async () => {
    const file = join(scratch, 'instructions.md');
    writeFileSync(file, 'Cite every claim.\n');

    const loaded = await agent(['instructions', 'load', file]);
    const got = JSON.parse((await agent(['--json', 'instructions', 'get'])).stdout);
    const presets = await agent(['instructions', 'presets']);
    await agent(['instructions', 'clear']);

    expect(loaded.code).toBe(0);
    expect(got).toMatchObject({ source: 'tenant' });
    expect(got.text.trim()).toBe('Cite every claim.');
    expect(presets.stdout).toMatch(/^NAME\s+TITLE\s+TEXT/);
  });
});
