import type { Command } from 'commander';
import { answerFooter } from '../chat/render.ts';
import { contextOf } from '../context.ts';
import { withExamples } from '../help.ts';
import { type ChatRequest, streamChatTurn } from '../http/chat-stream.ts';
import type { ChatAnswer } from '../http/types.ts';
import { integerIn } from '../options.ts';
import { userOf } from '../user.ts';

export interface TurnOptions {
  user?: string;
  conversation?: string;
  k?: number;
  memory?: boolean;
}

/** The turn options `ask` and `chat` share. */
export function withTurnOptions(command: Command): Command {
  return command
    .option('--user <id>', 'who is asking (default: AGENT_USER_ID or the profile)')
    .option('--k <n>', 'passages to retrieve (0-20)', integerIn(0, 20))
    .option('--no-memory', "leave out the user's long-term memory");
}

export function chatRequestOf(
  message: string,
  options: TurnOptions,
  userId: string | undefined,
): ChatRequest {
  return {
    message,
    ...(userId ? { userId } : {}),
    ...(options.conversation ? { conversationId: options.conversation } : {}),
    ...(options.k === undefined ? {} : { k: options.k }),
    ...(options.memory === false ? { memory: false } : {}),
  };
}

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
