import type { Command } from 'commander';
import { registerConfigText } from './config-text.ts';

/** `agent persona ...` and `agent instructions ...`. */
export function registerPersona(program: Command): void {
  registerConfigText(program, { command: 'persona', noun: 'persona', presets: 'personas' });
  registerConfigText(program, {
    command: 'instructions',
    noun: 'core instructions',
    presets: 'instructions',
  });
}
