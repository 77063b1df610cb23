import type { Command } from 'commander';
import { answerFooter } from '../chat/render.ts';
import { chatRequestOf, type TurnOptions, withTurnOptions } from '../chat/turn-options.ts';
import { contextOf } from '../context.ts';
import { withExamples } from '../help.ts';
import { streamChatTurn } from '../http/chat-stream.ts';
import type { ChatAnswer } from '../http/types.ts';
import { userOf } from '../user.ts';

/** `agent ask "question"`: one turn, streamed, or whole with `--json`. */
export function registerAsk(program: Command): void {
  withExamples(
    withTurnOptions(
      program
        .command('ask')
        .description('Ask one question; the answer streams in, with its sources')
        .argument('<question>', 'the question')
        .option('--conversation <id>', 'continue this conversation'),
    ).action(async (question: string, options: TurnOptions, command: Command) => {
      const { out, client } = contextOf(command);
      const api = await client();
      const request = chatRequestOf(question, options, userOf(options.user, api.connection));
      if (out.json) {
        const answer = await api.json<ChatAnswer>({
          method: 'POST',
          path: '/v1/chat',
          body: request,
          scope: 'chat',
        });
        out.result(answer, () => '');
        return;
      }
      const turn = await streamChatTurn(api, request, {
        onDelta: (text) => process.stdout.write(text),
      });
      process.stdout.write('\n');
      const footer = answerFooter(turn, process.stdout);
      if (footer) process.stdout.write(`${footer}\n`);
    }),
    [
      'agent ask "How many days of leave do I get?"',
      'agent ask "And in my first year?" --conversation 7d1c…',
      'agent ask "Who approves expenses?" --json | jq -r .answer',
    ],
  );
}
