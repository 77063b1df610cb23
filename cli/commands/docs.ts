import type { Command } from 'commander';
import { contextOf } from '../context.ts';
import { UsageError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { segment } from '../http/client.ts';
import { listAllDocuments, tenantOfKey } from '../http/documents.ts';
import type { DocumentRecord } from '../http/types.ts';
import { integerIn } from '../options.ts';
import { renderTable } from '../output/table.ts';

/** `agent docs ls|show|rm|clear`. */
export function registerDocs(program: Command): void {
  const docs = program.command('docs').description("Manage the knowledge base's documents");
  withExamples(docs, ['agent docs ls', 'agent docs show src-3f2a…', 'agent docs rm src-3f2a…']);

  withExamples(
    docs
      .command('ls')
      .description('List documents')
      .option('--source <source>', 'only the document with this source')
      .option('--limit <n>', 'at most this many', integerIn(1, 100_000))
      .action(async (options: { source?: string; limit?: number }, command: Command) => {
        const { out, client } = contextOf(command);
        const documents = await listAllDocuments(await client(), options);
        out.result({ documents }, () =>
          documents.length === 0
            ? 'No documents.'
            : renderTable(
                ['ID', 'TITLE', 'SOURCE', 'CHUNKS', 'INDEXED'],
                documents.map((doc) => [
                  doc.id,
                  doc.title,
                  doc.source,
                  doc.chunkCount,
                  doc.indexedAt,
                ]),
              ),
        );
      }),
    [
      'agent docs ls',
      'agent docs ls --source hr/leave.md',
      'agent docs ls --json | jq -r ".documents[].id"',
    ],
  );

  withExamples(
    docs
      .command('show')
      .description("Show one document's record")
      .argument('<id>', 'document id (from agent docs ls)')
      .action(async (id: string, _options: unknown, command: Command) => {
        const { out, client } = contextOf(command);
        const doc = await (await client()).json<DocumentRecord>({
          path: `/v1/documents/${segment(id)}`,
          scope: 'documents:read',
        });
        out.result(doc, () => describeDocument(doc));
      }),
    ['agent docs show src-0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
  );

  withExamples(
    docs
      .command('rm')
      .description('Delete documents; no search returns them afterwards')
      .argument('<ids...>', 'document ids')
      .action(async (ids: string[], _options: unknown, command: Command) => {
        const { out, client } = contextOf(command);
        const api = await client();
        for (const id of ids) {
          await api.json({
            method: 'DELETE',
            path: `/v1/documents/${segment(id)}`,
            scope: 'documents:write',
          });
        }
        out.result(
          { deleted: ids },
          () => `Deleted ${ids.length} document${ids.length === 1 ? '' : 's'}.`,
        );
      }),
    ['agent docs rm src-0f1e… src-9a8b…'],
  );

  withExamples(
    docs
      .command('clear')
      .description('Delete every document of the tenant (needs an admin key)')
      .option('--confirm <tenant>', "the tenant's name, to show you mean it")
      .action(async (options: { confirm?: string }, command: Command) => {
        const { out, client } = contextOf(command);
        const api = await client();
        const tenant = tenantOfKey(api.connection.key);
        if (!options.confirm) {
          throw new UsageError(
            `Add --confirm ${tenant ?? '<tenant>'} to delete every document of the tenant.`,
          );
        }
        const result = await api.json<{ deleted: number }>({
          method: 'DELETE',
          path: '/v1/documents',
          query: { confirm: options.confirm },
          scope: 'admin',
        });
        out.result(result, () => `Deleted ${result.deleted} documents.`);
      }),
    ['agent docs clear --confirm acme'],
  );
}

function describeDocument(doc: DocumentRecord): string {
  const rows: [string, string][] = [
    ['id', doc.id],
    ['title', doc.title],
    ['source', doc.source],
    ['chunks', String(doc.chunkCount)],
    ['indexed', doc.indexedAt],
    ['embedder', `${doc.embedder} (${doc.dimensions} dimensions)`],
    ['file sha256', doc.fileSha256 ?? '(not recorded)'],
    ...Object.entries(doc.metadata).map(([key, value]): [string, string] => [`  ${key}`, value]),
  ];
  if (Object.keys(doc.metadata).length > 0) rows.splice(7, 0, ['metadata', '']);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}
