import { createInterface } from 'node:readline';
import { CliError } from '../errors.ts';
import { type StreamedTurn, streamChatTurn } from '../http/chat-stream.ts';
import type { ApiClient } from '../http/client.ts';
import { formatPassagesFull } from '../output/citations.ts';
import { styler } from '../output/style.ts';
import { MessageReader } from './line-reader.ts';
import { answerFooter } from './render.ts';
import { chatRequestOf, type TurnOptions } from './turn-options.ts';

const HELP = [
  'Type a message and press Enter. End a line with \\ to go on, or paste between """ lines.',
  "/new starts a new conversation, /sources shows the last answer's passages, /exit leaves.",
  'Ctrl-C stops an answer; Ctrl-C at the prompt (or Ctrl-D) leaves.',
].join('\n');

/**
 * The interactive chat: each message is a streamed turn in one conversation (the platform
 * keeps its history), until `/new`. Ctrl-C while an answer streams stops it; at the prompt
 * it leaves.
 */
export async function runInteractiveChat(
  api: ApiClient,
  options: TurnOptions,
  userId: string | undefined,
): Promise<void> {
  const out = process.stdout;
  const style = styler(out);
  const terminal = Boolean(process.stdin.isTTY && out.isTTY);
  const rl = createInterface({ input: process.stdin, output: out, terminal, historySize: 200 });
  const reader = new MessageReader(rl, terminal);
  let conversationId = options.conversation;
  let last: StreamedTurn | undefined;
  let running: AbortController | undefined;

  const interrupt = () => {
    if (running) running.abort();
    else rl.close();
  };
  rl.on('SIGINT', interrupt);
  process.on('SIGINT', interrupt);
  if (terminal) out.write(`${style.dim(HELP)}\n`);

  try {
    for (;;) {
      const message = await reader.read();
      if (message === undefined) break;
      const text = message.trim();
      if (!text) continue;
      if (text.startsWith('/')) {
        if (text === '/exit' || text === '/quit') break;
        out.write(
          `${command(
            text,
            () => {
              conversationId = undefined;
              last = undefined;
            },
            last,
          )}\n`,
        );
        continue;
      }
      running = new AbortController();
      try {
        const turn = await streamChatTurn(
          api,
          chatRequestOf(message, { ...options, conversation: conversationId }, userId),
          { signal: running.signal, onDelta: (delta) => out.write(delta) },
        );
        out.write('\n');
        const footer = answerFooter(turn, out);
        if (footer) out.write(`${footer}\n`);
        // A stopped turn is not stored, so only a finished one names the conversation.
        if (turn.done) conversationId = turn.done.conversationId;
        last = turn;
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        process.stderr.write(`${style.red('error:')} ${error.message}\n`);
        if (error.status === 401 || error.code === 'unreachable') throw error;
      } finally {
        running = undefined;
      }
    }
  } finally {
    process.off('SIGINT', interrupt);
    rl.close();
  }
  if (terminal) out.write('\n');
}

function command(text: string, startNew: () => void, last: StreamedTurn | undefined): string {
  if (text === '/new') {
    startNew();
    return 'Started a new conversation.';
  }
  if (text === '/sources') {
    if (!last?.meta || last.meta.passages.length === 0) return 'No passages for the last answer.';
    return formatPassagesFull(last.meta.passages, last.done?.citations ?? []);
  }
  if (text === '/help') return HELP;
  return `Unknown command ${text}. ${HELP}`;
}
