import type { HistoryMessage } from '../../chat/model/context.ts';
import { compareSlackTs } from '../ids.ts';
import { withoutMention } from '../mentions.ts';
import type { ThreadMessage } from './slack-api.ts';

/** The most recent thread messages given to the turn; the turn fits them to its budget too. */
const MAX_MESSAGES = 40;
const MAX_MESSAGE_CHARACTERS = 4000;

/**
 * The thread before the message being answered, as the turn's history: the bot's own
 * messages are the assistant's, everyone else's the user side with their author, so the
 * model can tell people apart. Mentions of the bot are taken out as in the question.
 */
export function threadHistory(
  messages: ThreadMessage[],
  answering: { messageTs: string; botUserId: string },
): HistoryMessage[] {
  const earlier = messages.filter((message) => compareSlackTs(message.ts, answering.messageTs) < 0);
  return earlier
    .map((message): HistoryMessage => {
      const own = message.user === answering.botUserId;
      const text = withoutMention(message.text, answering.botUserId).slice(
        0,
        MAX_MESSAGE_CHARACTERS,
      );
      return own
        ? { role: 'assistant', text }
        : { role: 'user', text, author: `<@${message.user ?? message.botId ?? 'unknown'}>` };
    })
    .filter((message) => message.text !== '')
    .slice(-MAX_MESSAGES);
}
