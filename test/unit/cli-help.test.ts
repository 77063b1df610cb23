import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/program.ts';

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
}

describe('agent --help', () => {
  const commands = allCommands(buildProgram());

  it('covers every command the issue asks for', () => {
    const names = commands.map((command) => {
      const path: string[] = [];
      for (let at: Command | null = command; at?.parent; at = at.parent) path.unshift(at.name());
      return path.join(' ');
    });
    expect(names).toEqual(
      expect.arrayContaining([
        'login',
        'chat',
        'ask',
        'conversations ls',
        'conversations show',
        'conversations rm',
        'memory show',
        'memory forget',
        'ingest',
        'docs ls',
        'docs show',
        'docs rm',
        'docs clear',
        'search',
        ...['get', 'set', 'load', 'save', 'clear', 'presets'].flatMap((verb) => [
          `persona ${verb}`,
          `instructions ${verb}`,
        ]),
        'keys create',
        'keys ls',
        'keys revoke',
      ]),
    );
  });

  it('shows examples for every command', () => {
    const without = commands
      .filter((command) => !/\nExamples:\n {2}\$ agent /.test(helpOf(command)))
      .map((command) => command.name());
    expect(without).toEqual([]);
  });
});
