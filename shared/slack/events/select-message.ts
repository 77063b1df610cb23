import { withoutMention } from '../mentions.ts';
import type { ChannelSettings } from '../settings/channel-settings.ts';
import type { EventCallback } from './envelope.ts';

/** Message subtypes that are someone saying something; every other subtype is ignored. */
const SPOKEN_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share', 'bot_message']);

/** What an event asks of the bot before any setting is read. */
export type EventIntent =
  | { kind: 'ignore'; reason: string }
  | { kind: 'thread-started'; channel: string; threadTs: string; userId: string }
  | {
      kind: 'message';
      /** How it reached the bot: a mention, a DM, or a channel message it may answer. */
      via: 'mention' | 'direct' | 'channel';
      channel: string;
      messageTs: string;
      /** The thread the answer goes in: the message's thread, or the message itself. */
      threadTs: string;
      /** Whether the message was already in a thread (a follow-up, if the bot is in it). */
      inThread: boolean;
      /** The author: a user, or for another app's message its bot id. */
      userId: string;
      fromBot: boolean;
      text: string;
    };

/**
 * The first cut, from the event alone: the bot's own messages, edits, deletions, joins and
 * every other subtype are ignored; channel messages that mention the bot are left to their
 * `app_mention` event, so one message never makes two jobs.
 */
export function readIntent(envelope: EventCallback): EventIntent {
  const event = envelope.event;
  const botUserId = botUserIdOf(envelope);
  if (event.type === 'assistant_thread_started') {
    const thread = event.assistant_thread;
    if (!thread) return { kind: 'ignore', reason: 'assistant thread without its thread' };
    return {
      kind: 'thread-started',
      channel: thread.channel_id,
      threadTs: thread.thread_ts,
      userId: thread.user_id,
    };
  }
  if (event.type !== 'app_mention' && event.type !== 'message') {
    return { kind: 'ignore', reason: `event type ${event.type}` };
  }
  if (!SPOKEN_SUBTYPES.has(event.subtype)) {
    return { kind: 'ignore', reason: `message subtype ${event.subtype}` };
  }
  const author = event.user ?? event.bot_id;
  if (!author || !event.channel || !event.ts) {
    return { kind: 'ignore', reason: 'message without author, channel or ts' };
  }
  const ownApp = event.app_id !== undefined && event.app_id === envelope.api_app_id;
  if ((botUserId && event.user === botUserId) || ownApp) {
    return { kind: 'ignore', reason: 'own message' };
  }
  const text = event.text ?? '';
  const mentionsBot = botUserId !== undefined && text.includes(`<@${botUserId}>`);
  const direct = event.channel_type === 'im';
  if (event.type === 'message' && !direct && mentionsBot) {
    return { kind: 'ignore', reason: 'mention, answered from its app_mention event' };
  }
  // A mention in a DM can come as both an `app_mention` and a `message.im` event, with
  // two event ids: the DM's message event alone answers it.
  if (event.type === 'app_mention' && event.channel.startsWith('D')) {
    return { kind: 'ignore', reason: 'mention in a DM, answered from its message event' };
  }
  return {
    kind: 'message',
    via: event.type === 'app_mention' ? 'mention' : direct ? 'direct' : 'channel',
    channel: event.channel,
    messageTs: event.ts,
    threadTs: event.thread_ts ?? event.ts,
    inThread: event.thread_ts !== undefined && event.thread_ts !== event.ts,
    userId: author,
    fromBot: event.bot_id !== undefined || event.subtype === 'bot_message',
    text: botUserId ? withoutMention(text, botUserId) : text.trim(),
  };
}

/** Whether a message gets an answer, once its channel's settings are known. */
export function shouldAnswer(
  intent: Extract<EventIntent, { kind: 'message' }>,
  settings: { channel: ChannelSettings; allowed: boolean; threadAnswered: boolean },
): { answer: true } | { answer: false; reason: string } {
  if (!settings.allowed) return { answer: false, reason: 'channel not on the allowlist' };
  if (intent.fromBot && !settings.channel.allowBots) {
    return { answer: false, reason: 'bot message in a channel that does not allow bots' };
  }
  if (intent.text === '') return { answer: false, reason: 'empty message' };
  if (intent.via !== 'channel') return { answer: true };
  if (intent.inThread && settings.threadAnswered) return { answer: true };
  if (!intent.inThread && settings.channel.respondTo === 'all') return { answer: true };
  return { answer: false, reason: 'channel message without a mention' };
}

/** The bot's user id in this workspace, from the event's authorizations. */
export function botUserIdOf(envelope: EventCallback): string | undefined {
  return envelope.authorizations?.find((authorization) => authorization.is_bot !== false)?.user_id;
}
