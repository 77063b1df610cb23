import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { contextOf } from '../context.ts';
import { UsageError } from '../errors.ts';
import { withExamples } from '../help.ts';
import type { ConfigText, Preset, Presets } from '../http/types.ts';
import { readStdin } from '../options.ts';
import { renderTable } from '../output/table.ts';

/** The persona and the core instructions are managed alike. */
export interface ConfigTextKind {
  command: 'persona' | 'instructions';
  noun: string;
  presets: keyof Presets;
}

/** `agent persona|instructions get|set|load|save|clear|presets`. */
export function registerConfigText(program: Command, kind: ConfigTextKind): void {
  const path = `/v1/config/${kind.command}`;
  const name = kind.command;
  const group = program
    .command(name)
    .description(`Manage the ${kind.noun} every chat answer follows (needs an admin key)`)
    .option('--tenant <tenant>', "another tenant's (bootstrap admin key only)");
  withExamples(group, [
    `agent ${name} get`,
    `agent ${name} load ${name}.md`,
    `agent ${name} presets`,
    `agent ${name} get --tenant acme       # bootstrap admin key`,
  ]);

  const tenantOf = (command: Command) => ({
    tenant: command.optsWithGlobals<{ tenant?: string }>().tenant,
  });
  const put = async (command: Command, text: string) => {
    const { out, client } = contextOf(command);
    if (!text.trim()) throw new UsageError(`The ${kind.noun} text is empty.`);
    const saved = await (await client()).json<ConfigText>({
      method: 'PUT',
      path,
      query: tenantOf(command),
      body: { text },
      scope: 'admin',
    });
    out.result(saved, () => `Saved the ${kind.noun} (${saved.text.length} characters).`);
  };
  const get = async (command: Command) =>
    (await contextOf(command).client()).json<ConfigText>({
      path,
      query: tenantOf(command),
      scope: 'admin',
    });

  withExamples(
    group
      .command('get')
      .description(`Print the ${kind.noun} in use`)
      .action(async (_options: unknown, command: Command) => {
        const current = await get(command);
        contextOf(command).out.result(current, () =>
          current.source === 'default' ? `${current.text}\n(the platform's default)` : current.text,
        );
      }),
    [`agent ${name} get`, `agent ${name} get --json`],
  );

  withExamples(
    group
      .command('set')
      .description(`Set the ${kind.noun} from the command line, stdin (-) or a preset`)
      .argument('[text]', 'the text, or - to read stdin')
      .option('--preset <name>', `use a preset (see agent ${name} presets)`)
      .action(async (text: string | undefined, options: { preset?: string }, command: Command) => {
        if (options.preset) {
          const presets = await listPresets(command, kind);
          const preset = presets.find((candidate) => candidate.name === options.preset);
          if (!preset) {
            throw new UsageError(
              `No preset "${options.preset}"; there are: ${presets.map((p) => p.name).join(', ')}.`,
            );
          }
          return put(command, preset.text);
        }
        if (text === undefined)
          throw new UsageError(`Give the text, - for stdin, or --preset <name>.`);
        return put(command, text === '-' ? await readStdin() : text);
      }),
    [
      `agent ${name} set "You are the ACME helpdesk. Answer briefly."`,
      `cat ${name}.md | agent ${name} set -`,
      `agent ${name} set --preset concise`,
    ],
  );

  withExamples(
    group
      .command('load')
      .description(`Set the ${kind.noun} from a file`)
      .argument('<file>', 'a UTF-8 text file')
      .action(async (file: string, _options: unknown, command: Command) =>
        put(
          command,
          await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
            throw new UsageError(
              `Cannot read ${file} (${error.code ?? error.message}).`,
              'unreadable_file',
            );
          }),
        ),
      ),
    [`agent ${name} load ${name}.md`],
  );

  withExamples(
    group
      .command('save')
      .description(`Write the ${kind.noun} in use to a file`)
      .argument('<file>', 'where to write it')
      .action(async (file: string, _options: unknown, command: Command) => {
        const current = await get(command);
        await writeFile(
          file,
          current.text.endsWith('\n') ? current.text : `${current.text}\n`,
        ).catch((error: NodeJS.ErrnoException) => {
          throw new UsageError(
            `Cannot write ${file} (${error.code ?? error.message}).`,
            'unwritable_file',
          );
        });
        contextOf(command).out.result(
          { ...current, file },
          () => `Wrote the ${kind.noun} to ${file}.`,
        );
      }),
    [`agent ${name} save ${name}.md`],
  );

  withExamples(
    group
      .command('clear')
      .description(`Go back to the platform's default ${kind.noun}`)
      .action(async (_options: unknown, command: Command) => {
        const { out, client } = contextOf(command);
        await (await client()).json({
          method: 'DELETE',
          path,
          query: tenantOf(command),
          scope: 'admin',
        });
        out.result({ cleared: true }, () => `Cleared; the default ${kind.noun} applies.`);
      }),
    [`agent ${name} clear`],
  );

  withExamples(
    group
      .command('presets')
      .description(`List the ${kind.noun} presets`)
      .action(async (_options: unknown, command: Command) => {
        const presets = await listPresets(command, kind);
        contextOf(command).out.result({ presets }, () =>
          renderTable(
            ['NAME', 'TITLE', 'TEXT'],
            presets.map((preset) => [preset.name, preset.title, preset.text]),
          ),
        );
      }),
    [`agent ${name} presets`, `agent ${name} presets --json`],
  );
}

async function listPresets(command: Command, kind: ConfigTextKind): Promise<Preset[]> {
  const presets = await (await contextOf(command).client()).json<Presets>({
    path: '/v1/config/presets',
    scope: 'chat',
  });
  return presets[kind.presets];
}
