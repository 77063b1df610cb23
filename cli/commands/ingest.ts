import type { Command } from 'commander';
import { contextOf } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { listAllDocuments } from '../http/documents.ts';
import type { DocumentRecord } from '../http/types.ts';
import { collectFiles } from '../ingest/collect.ts';
import { type FileOutcome, uploadFiles } from '../ingest/upload.ts';
import { integerIn } from '../options.ts';
import { ProgressBar } from '../output/progress.ts';
import { styler } from '../output/style.ts';
import { renderTable } from '../output/table.ts';
import { formatBytes, plural } from '../output/units.ts';

interface IngestOptions {
  concurrency: number;
  force?: boolean;
}

/** `agent ingest <paths...>`: bulk ingestion with progress and a summary. */
export function registerIngest(program: Command): void {
  withExamples(
    program
      .command('ingest')
      .description(
        'Add files, folders (recursively) and globs to the knowledge base; unchanged files are skipped',
      )
      .argument('<paths...>', 'files, folders or quoted globs such as "docs/**/*.md"')
      .option('--concurrency <n>', 'files sent at once (1-16)', integerIn(1, 16), 4)
      .option('--force', 'send every file, even those the platform already has')
      .action(async (paths: string[], options: IngestOptions, command: Command) => {
        const { out, client } = contextOf(command);
        const collected = await collectFiles(paths);
        const progress = new ProgressBar(
          process.stderr,
          Boolean(process.stderr.isTTY) && !out.json,
        );
        const api = await client({
          onRateLimitWait: (seconds) =>
            progress.log(`Rate limited: waiting ${seconds} s, then retrying.`),
        });
        for (const skip of collected.skipped) {
          if (!out.json) progress.log(`skipping ${skip.path}: ${skip.reason}`);
        }
        const known = options.force
          ? new Map<string, DocumentRecord>()
          : await knownBySource(api, (message) => progress.log(message));
        const state = {
          filesDone: 0,
          filesTotal: collected.files.length,
          bytesDone: 0,
          bytesTotal: collected.files.reduce((sum, file) => sum + file.bytes, 0),
          chunks: 0,
          errors: 0,
        };
        progress.update(state, true);
        let outcomes: FileOutcome[];
        try {
          outcomes = await uploadFiles(api, collected.files, {
            concurrency: options.concurrency,
            known,
            onDone: (outcome) => {
              state.filesDone += 1;
              state.bytesDone += outcome.bytes;
              if (outcome.status === 'created' || outcome.status === 'replaced')
                state.chunks += outcome.chunks;
              if (outcome.status === 'failed') state.errors += 1;
              progress.update(state, state.filesDone === state.filesTotal);
            },
          });
        } finally {
          progress.stop();
        }

        const totals = countByStatus(outcomes);
        const unsupported = collected.skipped.map((skip) => ({ ...skip, status: 'unsupported' }));
        out.result(
          { files: outcomes, unsupported, totals: { ...totals, unsupported: unsupported.length } },
          () => summary(outcomes, unsupported.length, totals),
        );
        const failed = outcomes.filter((outcome) => outcome.status === 'failed');
        if (failed.length > 0) {
          const style = styler(process.stderr);
          for (const outcome of failed) {
            process.stderr.write(`${style.red('failed:')} ${outcome.path}: ${outcome.reason}\n`);
          }
          process.exitCode = 1;
        }
      }),
    [
      'agent ingest handbook/',
      'agent ingest "docs/**/*.md" notes/faq.pdf',
      'agent ingest handbook/ --concurrency 8 --json > ingest-report.json',
    ],
  );
}

/**
 * What the platform already has, by source, to skip unchanged files. A key that may write
 * documents but not list them (403) sends every file instead: the server still leaves
 * unchanged content as it is.
 */
async function knownBySource(
  api: Parameters<typeof listAllDocuments>[0],
  notice: (message: string) => void,
) {
  try {
    const documents = await listAllDocuments(api);
    return new Map(documents.map((doc) => [doc.source, doc]));
  } catch (error) {
    if (!(error instanceof CliError) || error.status !== 403) throw error;
    notice('This key may not list documents (documents:read), so every file is sent.');
    return new Map<string, DocumentRecord>();
  }
}

function countByStatus(outcomes: FileOutcome[]): Record<string, number> {
  const totals: Record<string, number> = {
    created: 0,
    replaced: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
  };
  for (const outcome of outcomes) totals[outcome.status] = (totals[outcome.status] ?? 0) + 1;
  return totals;
}

function summary(
  outcomes: FileOutcome[],
  unsupported: number,
  totals: Record<string, number>,
): string {
  const table = renderTable(
    ['FILE', 'STATUS', 'TYPE', 'CHUNKS', 'SIZE', 'NOTE'],
    outcomes.map((outcome) => [
      outcome.source,
      outcome.status,
      outcome.type ?? '',
      outcome.status === 'failed' ? '' : outcome.chunks,
      formatBytes(outcome.bytes),
      outcome.status === 'failed' ? 'see below' : (outcome.reason ?? ''),
    ]),
  );
  const counts = Object.entries({ ...totals, unsupported })
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  return `${outcomes.length > 0 ? `${table}\n\n` : ''}${plural(outcomes.length + unsupported, 'file')}: ${counts || 'nothing to do'}.`;
}
