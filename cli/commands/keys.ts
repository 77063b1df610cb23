import type { Command } from 'commander';
import { contextOf } from '../context.ts';
import { UsageError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { segment } from '../http/client.ts';
import type { ApiKeyRecord } from '../http/types.ts';
import { collect } from '../options.ts';
import { renderTable } from '../output/table.ts';

const SCOPES = ['chat', 'documents:read', 'documents:write', 'admin'];

interface CreateOptions {
  name: string;
  scope: string[];
  expires?: string;
  user?: string;
  tenant?: string;
}

/** `agent keys create|ls|revoke` (admin keys only). */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('Manage API keys (needs an admin key)');
  withExamples(keys, ['agent keys create --name ci --scope documents:read', 'agent keys ls']);

  withExamples(
    keys
      .command('create')
      .description('Create an API key; the key is shown once')
      .requiredOption('--name <name>', 'what the key is for')
      .option('--scope <scope>', `a scope (repeat for more): ${SCOPES.join(', ')}`, collect, [])
      .option('--expires <when>', 'ISO 8601 date-time, or a duration such as 30d or 12h')
      .option('--user <id>', 'bind the key to one user: it can only chat as that user')
      .option('--tenant <tenant>', 'another tenant (bootstrap admin key only)')
      .action(async (options: CreateOptions, command: Command) => {
        const { out, client } = contextOf(command);
        if (options.scope.length === 0)
          throw new UsageError(`Give at least one --scope (${SCOPES.join(', ')}).`);
        const unknown = options.scope.filter((scope) => !SCOPES.includes(scope));
        if (unknown.length > 0)
          throw new UsageError(`Unknown scope ${unknown.join(', ')}; use ${SCOPES.join(', ')}.`);
        const created = await (await client()).json<ApiKeyRecord & { key: string }>({
          method: 'POST',
          path: '/v1/keys',
          body: {
            name: options.name,
            scopes: options.scope,
            ...(options.expires ? { expiresAt: expiryOf(options.expires) } : {}),
            ...(options.user ? { userId: options.user } : {}),
            ...(options.tenant ? { tenant: options.tenant } : {}),
          },
          scope: 'admin',
        });
        out.result(created, () =>
          [
            created.key,
            '',
            `Key ${created.id} (${created.scopes.join(', ')}) for tenant ${created.tenant}${created.expiresAt ? `, expires ${created.expiresAt}` : ''}.`,
            'It is shown only this once: store it now.',
          ].join('\n'),
        );
      }),
    [
      'agent keys create --name ci --scope documents:read --scope documents:write',
      'agent keys create --name alice-chat --scope chat --user alice --expires 90d',
      'agent keys create --name ops --scope admin --json | jq -r .key',
    ],
  );

  withExamples(
    keys
      .command('ls')
      .description("List the tenant's keys (never the keys themselves)")
      .option('--tenant <tenant>', 'another tenant (bootstrap admin key only)')
      .action(async (options: { tenant?: string }, command: Command) => {
        const { out, client } = contextOf(command);
        const { keys: records } = await (await client()).json<{ keys: ApiKeyRecord[] }>({
          path: '/v1/keys',
          query: { tenant: options.tenant },
          scope: 'admin',
        });
        out.result({ keys: records }, () =>
          records.length === 0
            ? 'No keys.'
            : renderTable(
                ['ID', 'NAME', 'SCOPES', 'USER', 'CREATED', 'LAST USED', 'EXPIRES'],
                records.map((key) => [
                  key.id,
                  key.name,
                  key.scopes.join(','),
                  key.userId ?? '',
                  key.createdAt,
                  key.lastUsedAt ?? '',
                  key.expiresAt ?? '',
                ]),
              ),
        );
      }),
    ['agent keys ls', 'agent keys ls --json'],
  );

  withExamples(
    keys
      .command('revoke')
      .description('Revoke a key; its next request gets 401')
      .argument('<id>', 'key id (from agent keys ls)')
      .option('--tenant <tenant>', 'another tenant (bootstrap admin key only)')
      .action(async (id: string, options: { tenant?: string }, command: Command) => {
        const { out, client } = contextOf(command);
        await (await client()).json({
          method: 'DELETE',
          path: `/v1/keys/${segment(id)}`,
          query: { tenant: options.tenant },
          scope: 'admin',
        });
        out.result({ revoked: id }, () => `Revoked key ${id}.`);
      }),
    ['agent keys revoke 136b66ee37b11062'],
  );
}

/** An ISO date-time as given, or `30d` / `12h` / `45m` from now. */
function expiryOf(value: string): string {
  const relative = /^(\d{1,4})([dhm])$/.exec(value);
  if (relative) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[relative[2] as 'd' | 'h' | 'm'];
    return new Date(Date.now() + Number(relative[1]) * unit).toISOString();
  }
  if (Number.isNaN(Date.parse(value))) {
    throw new UsageError(
      `--expires takes an ISO 8601 date-time or a duration like 30d, not "${value}".`,
    );
  }
  return value;
}
