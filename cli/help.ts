import type { Command } from 'commander';

/** Adds an "Examples" section to a command's `--help`. */
export function withExamples<T extends Command>(command: T, examples: string[]): T {
  command.addHelpText(
    'after',
    `\nExamples:\n${examples.map((example) => `  $ ${example}`).join('\n')}\n`,
  );
  return command;
}
