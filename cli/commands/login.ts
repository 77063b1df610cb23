import type { Command } from 'commander';
import { normaliseUrl } from '../config/connection.ts';
import { profilesPath } from '../config/paths.ts';
import { PROFILE_NAME, readProfiles, writeProfiles } from '../config/profiles.ts';
import { ask } from '../config/prompt.ts';
import { contextOf } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { ApiClient } from '../http/client.ts';
import { readStdin } from '../options.ts';
import { renderTable } from '../output/table.ts';

interface LoginOptions {
  url?: string;
  key?: string;
  user?: string;
  default?: boolean;
}

/** `agent login`, `agent logout`, `agent profiles`. */
export function registerLogin(program: Command): void {
  withExamples(
    program
      .command('login')
      .description('Check an API URL and key and save them as a profile (file mode 0600)')
      .option('--url <url>', 'API URL, e.g. http://127.0.0.1:3000 or the stack ApiUrl')
      .option('--key <key>', 'API key (visible in shell history; prefer stdin or the prompt)')
      .option('--user <id>', 'user id chat, conversations and memory act for')
      .option('--default', 'make this the default profile')
      .action(login),
    [
      'agent login --url http://127.0.0.1:3000          # asks for the key',
      'echo "$AGENT_API_KEY" | agent login --url "$API" --profile prod --user alice',
      'agent --profile prod docs ls',
    ],
  );
  withExamples(program.command('logout').description('Delete a saved profile').action(logout), [
    'agent logout',
    'agent --profile prod logout',
  ]);
  withExamples(
    program.command('profiles').description('List saved profiles').action(listProfiles),
    ['agent profiles', 'agent profiles --json'],
  );
}

async function login(options: LoginOptions, command: Command): Promise<void> {
  const { out, globals } = contextOf(command);
  const name = globals.profile ?? 'default';
  if (!PROFILE_NAME.test(name)) throw new UsageError(`"${name}" is not a usable profile name.`);
  const interactive = Boolean(process.stdin.isTTY);
  const rawUrl =
    options.url ?? globals.apiUrl ?? (interactive ? await ask('API URL: ') : undefined);
  if (!rawUrl) throw new UsageError('Give the API URL: agent login --url <API URL>.');
  const url = normaliseUrl(rawUrl, '--url');
  const key =
    options.key ??
    (interactive ? await ask('API key (not shown): ', true) : (await readStdin()).trim());
  if (!key) throw new UsageError('Give the API key on stdin, at the prompt or with --key.');

  const connection = {
    url,
    key,
    userId: options.user,
    urlSource: '--url',
    keySource: 'the key given',
  };
  await verify(new ApiClient(connection));

  const path = profilesPath();
  const file = await readProfiles(path);
  file.profiles[name] = { url, key, ...(options.user ? { userId: options.user } : {}) };
  if (options.default || !file.default || !file.profiles[file.default]) file.default = name;
  await writeProfiles(path, file);
  out.result(
    { profile: name, url, default: file.default === name, path },
    () =>
      `Logged in to ${url} as profile "${name}"${file.default === name ? ' (default)' : ''}; saved in ${path}.`,
  );
}

/**
 * The URL must answer `/health`, and the key must not be refused. Any scope will do: a
 * 403 on the probe means the key is genuine but not a documents reader.
 */
async function verify(client: ApiClient): Promise<void> {
  await client.json({ path: '/health' }).catch((error: unknown) => {
    if (error instanceof CliError && error.status === 503) return undefined;
    throw error;
  });
  await client.json({ path: '/v1/documents', query: { limit: 1 } }).catch((error: unknown) => {
    if (error instanceof CliError && error.status === 403) return undefined;
    throw error;
  });
}

async function logout(_options: unknown, command: Command): Promise<void> {
  const { out, globals } = contextOf(command);
  const path = profilesPath();
  const file = await readProfiles(path);
  const name = globals.profile ?? process.env.AGENT_PROFILE ?? file.default;
  if (!name || !file.profiles[name]) {
    throw new UsageError(`No profile "${name ?? 'default'}" in ${path}.`, 'profile_not_found');
  }
  delete file.profiles[name];
  if (file.default === name) delete file.default;
  await writeProfiles(path, file);
  out.result({ removed: name }, () => `Removed profile "${name}".`);
}

async function listProfiles(_options: unknown, command: Command): Promise<void> {
  const { out } = contextOf(command);
  const path = profilesPath();
  const file = await readProfiles(path);
  const rows = Object.entries(file.profiles).map(([name, profile]) => ({
    name,
    url: profile.url,
    userId: profile.userId ?? null,
    keyId: profile.key.split('.')[2] ?? null,
    default: file.default === name,
  }));
  out.result({ path, profiles: rows }, () =>
    rows.length === 0
      ? `No profiles in ${path}; run agent login.`
      : renderTable(
          ['', 'PROFILE', 'URL', 'USER', 'KEY ID'],
          rows.map((row) => [
            row.default ? '*' : '',
            row.name,
            row.url,
            row.userId ?? '',
            row.keyId ?? '',
          ]),
        ),
  );
}
