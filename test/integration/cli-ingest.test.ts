import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminKeySettings } from '../support/admin-key.ts';
import { useBuiltCli } from '../support/cli.ts';
import { buildDocxBomb, buildPdf, oneLine, truncate } from '../support/document-fixtures.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-cli-ingest-tests';
const MAX_BYTES = 256 * 1024;
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  DOCUMENT_MAX_BYTES: String(MAX_BYTES),
  LOG_LEVEL: 'SILENT',
}));
const cli = useBuiltCli();
const agent = (args: string[]) =>
  cli.run(args, { env: { AGENT_API_URL: api.url, AGENT_API_KEY: ADMIN_KEY }, cwd: folder });

let folder: string;
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'agent-cli-ingest-'));
  const handbook = join(folder, 'handbook');
  mkdirSync(join(handbook, 'hr'), { recursive: true });
  const pdf = await buildPdf({
    title: 'Travel guide',
    pages: [['Book trains for trips under 600 km.']],
  });
  const files: Record<string, string | Uint8Array> = {
    'hr/leave.md':
      '# Leave\n\nEveryone gets twenty-five days of paid leave.\n\n## Carry over\n\nUp to five unused days carry over.\n',
    'expenses.txt': 'Expenses above fifty euros need a manager approval.\n',
    'travel.pdf': pdf,
    'logo.png': 'not really a picture',
    'bomb.docx': buildDocxBomb(65),
    'truncated.pdf': truncate(pdf, 0.5),
    'huge.txt': oneLine(300 * 1024),
    '.notes.md': '# Hidden\n\nNot for the knowledge base.\n',
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(handbook, name), content);
});

interface Outcome {
  source: string;
  status: string;
  reason?: string;
  chunks: number;
}

describe('agent ingest', () => {
  it('ingests a folder, skips what it cannot or need not send, and names every failure', async () => {
    // Act: a first run, then a second over the same folder.
    const first = await agent(['ingest', 'handbook']);
    const second = await agent(['--json', 'ingest', 'handbook']);

    // Assess: the summary of the first run, and its failures with their reasons.
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/hr\/leave\.md\s+created\s+markdown\s+2/);
    expect(first.stdout).toMatch(/travel\.pdf\s+created\s+pdf\s+1/);
    expect(first.stdout).toContain('7 files: 3 created, 3 failed, 1 unsupported.');
    expect(first.stderr).toContain('skipping handbook/logo.png: unsupported type (.png)');
    expect(first.stderr).toMatch(/failed: handbook\/bomb\.docx: .*\[422 archive_bomb\]/);
    expect(first.stderr).toMatch(/failed: handbook\/truncated\.pdf: .*\[422 corrupt_file\]/);
    expect(first.stderr).toContain(
      `failed: handbook/huge.txt: handbook/huge.txt (${300 * 1024} bytes) is too large (payload_too_large): the API accepts request bodies up to ${MAX_BYTES} bytes`,
    );
    expect(first.stderr).not.toContain('Hidden');
    // Not a terminal: no progress bar.
    expect(first.stderr).not.toContain('█');

    // The second run sends nothing the platform already has, and still fails on the rest.
    expect(second.code).toBe(1);
    const report = JSON.parse(second.stdout) as {
      files: Outcome[];
      totals: Record<string, number>;
    };
    const statuses = Object.fromEntries(report.files.map((file) => [file.source, file.status]));
    expect(statuses).toEqual({
      'bomb.docx': 'failed',
      'expenses.txt': 'skipped',
      'hr/leave.md': 'skipped',
      'huge.txt': 'failed',
      'travel.pdf': 'skipped',
      'truncated.pdf': 'failed',
    });
    expect(report.totals).toMatchObject({ skipped: 3, failed: 3, unsupported: 1, created: 0 });
  });

  it('replaces an edited file under the same source, matched by a glob', async () => {
    const setup = join(folder, 'wiki', 'guides', 'setup.md');
    mkdirSync(join(folder, 'wiki', 'guides'), { recursive: true });
    writeFileSync(setup, '# Setup\n\nInstall the VPN client first.\n\n## Then\n\nSign in.\n');
    await agent(['ingest', 'wiki']);
    writeFileSync(setup, '# Setup\n\nInstall the VPN client, then sign in.\n');

    const run = await agent(['--json', 'ingest', 'wiki/**/*.md']);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { files: Outcome[] };
    expect(report.files).toEqual([
      expect.objectContaining({ source: 'guides/setup.md', status: 'replaced', chunks: 1 }),
    ]);
    const listed = await agent(['--json', 'docs', 'ls', '--source', 'guides/setup.md']);
    expect(JSON.parse(listed.stdout).documents).toHaveLength(1);
  });

  it('lists, shows, searches, deletes and clears documents', async () => {
    await agent(['docs', 'clear', '--confirm', 'default']);
    await agent(['ingest', 'handbook']);

    const listed = await agent(['docs', 'ls']);
    const documents = JSON.parse((await agent(['--json', 'docs', 'ls'])).stdout).documents as {
      id: string;
      source: string;
    }[];
    const expenses = documents.find((doc) => doc.source === 'expenses.txt');
    const shown = await agent(['docs', 'show', expenses?.id ?? '']);
    const search = JSON.parse(
      (await agent(['--json', 'search', 'manager approval expenses', '--k', '2'])).stdout,
    );
    const human = await agent(['search', 'train trips', '--mode', 'lexical', '--k', '1']);
    const weighted = JSON.parse(
      (await agent(['--json', 'search', 'train trips', '--vector-weight', '0.3'])).stdout,
    );
    const removed = await agent(['docs', 'rm', expenses?.id ?? '']);
    const unconfirmed = await agent(['docs', 'clear']);
    const cleared = await agent(['--json', 'docs', 'clear', '--confirm', 'default']);

    expect(listed.stdout).toMatch(/^ID\s+TITLE\s+SOURCE\s+CHUNKS\s+INDEXED/);
    expect(documents.map((doc) => doc.source).sort()).toEqual([
      'expenses.txt',
      'hr/leave.md',
      'travel.pdf',
    ]);
    expect(shown.stdout).toMatch(/source\s+expenses\.txt/);
    expect(shown.stdout).toMatch(/file sha256\s+[0-9a-f]{64}/);
    expect(search.results[0].source).toBe('expenses.txt');
    expect(human.stdout).toMatch(/^1\. Travel guide · travel\.pdf · p\. 1/);
    expect(weighted.vectorWeight).toBe(0.3);
    expect(removed).toMatchObject({ code: 0, stdout: 'Deleted 1 document.\n' });
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--confirm');
    expect(JSON.parse(cleared.stdout)).toEqual({ deleted: 2 });
  });

  it('does not send a file larger than any deployment accepts', async () => {
    mkdirSync(join(folder, 'archive'));
    writeFileSync(join(folder, 'archive', 'dump.txt'), Buffer.alloc(5 * 1024 * 1024, 'a'));

    const run = await agent(['ingest', 'archive']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'failed: archive/dump.txt: archive/dump.txt (5242880 bytes) is too large: no deployment accepts a file over 4718592 bytes',
    );
  });

  it('follows no symbolic link out of the folder, and refuses two files under one source', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'cli-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET KEY MATERIAL');
    mkdirSync(join(folder, 'linked'));
    writeFileSync(join(folder, 'linked', 'real.md'), '# Real\n\nA real note.\n');
    symlinkSync(join(outside, 'secret.txt'), join(folder, 'linked', 'notes.md'));
    for (const name of ['one', 'two']) {
      mkdirSync(join(folder, name));
      writeFileSync(join(folder, name, 'README.md'), `# ${name}\n`);
    }

    const linked = await agent(['--json', 'ingest', 'linked']);
    const clash = await agent(['ingest', 'one', 'two']);

    expect(linked.code).toBe(0);
    expect(JSON.stringify(JSON.parse(linked.stdout))).not.toContain('notes.md');
    const search = await agent([
      '--json',
      'search',
      'TOP SECRET KEY MATERIAL',
      '--mode',
      'lexical',
    ]);
    expect(search.stdout).not.toContain('SECRET');
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('would both be stored as "README.md"');
  });

  it('refuses a path that does not exist before sending anything (exit 2)', async () => {
    const run = await agent(['ingest', 'handbook', 'no-such-folder']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No such file or folder: no-such-folder');
  });
});
