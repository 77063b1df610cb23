import type { Command } from 'commander';
import { runInteractiveChat } from '../chat/interactive.ts';
import { runJsonChat } from '../chat/json-chat.ts';
import { type TurnOptions, withTurnOptions } from '../chat/turn-options.ts';
import { contextOf } from '../context.ts';
import { withExamples } from '../help.ts';
import { userOf } from '../user.ts';

/** `agent chat`: the interactive chat. */
export function registerChat(program: Command): void {
  withExamples(
    withTurnOptions(
      program
        .command('chat')
        .description('Chat in the terminal: answers stream in, with their sources')
        .option('--conversation <id>', 'continue this conversation'),
    ).action(async (options: TurnOptions, command: Command) => {
      const { out, client } = contextOf(command);
      const api = await client();
      const run = out.json ? runJsonChat : runInteractiveChat;
      await run(api, options, userOf(options.user, api.connection));
    }),
    [
      'agent chat',
      'agent chat --user alice --conversation 7d1c… --k 8',
      'printf "Hi\\nWho approves expenses?\\n" | agent chat --json   # one JSON answer per line',
    ],
  );
}
