import type { Command } from 'commander';
import type { ChatRequest } from '../http/chat-stream.ts';
import { integerIn } from '../options.ts';

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

/** The body of `POST /v1/chat` for a message and the turn options. */
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
