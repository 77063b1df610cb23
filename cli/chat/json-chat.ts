import { createInterface } from 'node:readline';
import type { ApiClient } from '../http/client.ts';
import type { ChatAnswer } from '../http/types.ts';
import { chatRequestOf, type TurnOptions } from './turn-options.ts';

/**
 * `agent chat --json`, for scripts: each line of stdin is a message in one conversation,
 * and each answer is printed whole as one line of JSON.
 */
export async function runJsonChat(
  api: ApiClient,
  options: TurnOptions,
  userId: string | undefined,
): Promise<void> {
  let conversationId = options.conversation;
  for await (const line of createInterface({ input: process.stdin, terminal: false })) {
    if (!line.trim()) continue;
    const answer = await api.json<ChatAnswer>({
      method: 'POST',
      path: '/v1/chat',
      body: chatRequestOf(line, { ...options, conversation: conversationId }, userId),
      scope: 'chat',
    });
    conversationId = answer.conversationId;
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  }
}
