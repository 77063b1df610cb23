import { ErrorCode, type WebAPICallError, WebClient } from '@slack/web-api';
import { SlackApiCallError } from '../errors.ts';
import { quietSlackLogger } from '../quiet-logger.ts';
import type { AnswerStream, SlackApi, SlackBlock, ThreadMessage } from './slack-api.ts';

/**
 * Streamed Markdown is sent in chunks of this many characters: larger than the client's
 * 256 so a long answer stays within `chat.appendStream`'s rate tier, small enough that
 * text appears as the model writes.
 */
const STREAM_BUFFER_CHARACTERS = 400;
/** `conversations.replies` pages: Slack suggests at most 200 a page. */
const THREAD_PAGE_SIZE = 200;
/** A thread longer than this many pages is read up to here: 2000 messages. */
const MAX_THREAD_PAGES = 10;

/** The bot token and, for a stand-in, the Web API's base URL. */
export interface WebApiOptions {
  token: string;
  /** Base URL ending in `/`; absent: Slack's. */
  apiUrl: string | undefined;
}

/**
 * {@link SlackApi} on `@slack/web-api`'s `WebClient` (its `chatStream` helper for
 * streaming). Reads and edits are retried (429s after `Retry-After`, transient failures
 * twice); calls that post are not: a post Slack applied but whose answer was lost would
 * be posted twice, while the answer record and the queue's redelivery already retry a
 * post that failed. What still fails becomes a {@link SlackApiCallError} with Slack's code.
 */
export function createWebApi(options: WebApiOptions): SlackApi {
  const clientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    logger: quietSlackLogger,
    timeout: 10_000,
  };
  const client = new WebClient(options.token, {
    ...clientOptions,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2_000 },
  });
  const poster = new WebClient(options.token, { ...clientOptions, retryConfig: { retries: 0 } });
  const call = async <T>(method: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toSlackError(method, error);
    }
  };

  return {
    postMessage: async ({ channel, threadTs, text, blocks }) => {
      const result = await call('chat.postMessage', () =>
        poster.chat.postMessage({
          channel,
          thread_ts: threadTs,
          text,
          ...(blocks ? { blocks } : {}),
        }),
      );
      if (!result.ts) throw new SlackApiCallError('chat.postMessage', 'no_ts');
      return { ts: result.ts };
    },
    updateMessage: async ({ channel, ts, text, blocks }) => {
      await call('chat.update', () =>
        client.chat.update({ channel, ts, text, ...(blocks ? { blocks } : {}) }),
      );
    },
    postEphemeral: async ({ channel, user, threadTs, text }) => {
      await call('chat.postEphemeral', () =>
        poster.chat.postEphemeral({ channel, user, thread_ts: threadTs, text }),
      );
    },
    threadReplies: async ({ channel, threadTs, until, maxMessages }) => {
      const messages: ThreadMessage[] = [];
      let cursor: string | undefined;
      // Pages run oldest first; only messages up to `until` are asked for, and the
      // newest `maxMessages` of them kept, so a long thread costs a few more calls.
      for (let page = 0; page < MAX_THREAD_PAGES; page += 1) {
        const result = await call('conversations.replies', () =>
          client.conversations.replies({
            channel,
            ts: threadTs,
            latest: until,
            inclusive: true,
            limit: THREAD_PAGE_SIZE,
            ...(cursor ? { cursor } : {}),
          }),
        );
        for (const message of result.messages ?? []) {
          if (!message.ts) continue;
          messages.push({
            ts: message.ts,
            text: message.text ?? '',
            ...(message.user ? { user: message.user } : {}),
            ...(message.bot_id ? { botId: message.bot_id } : {}),
          });
        }
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!result.has_more || !cursor) break;
      }
      return messages.slice(-maxMessages);
    },
    addReaction: async ({ channel, ts, name }) => {
      await call('reactions.add', () => client.reactions.add({ channel, timestamp: ts, name }));
    },
    removeReaction: async ({ channel, ts, name }) => {
      await call('reactions.remove', () =>
        client.reactions.remove({ channel, timestamp: ts, name }),
      );
    },
    setStatus: async ({ channel, threadTs, status }) => {
      await call('assistant.threads.setStatus', () =>
        client.assistant.threads.setStatus({ channel_id: channel, thread_ts: threadTs, status }),
      );
    },
    setSuggestedPrompts: async ({ channel, threadTs, title, prompts }) => {
      await call('assistant.threads.setSuggestedPrompts', () =>
        client.assistant.threads.setSuggestedPrompts({
          channel_id: channel,
          thread_ts: threadTs,
          title,
          prompts: prompts as [{ title: string; message: string }],
        }),
      );
    },
    setTitle: async ({ channel, threadTs, title }) => {
      await call('assistant.threads.setTitle', () =>
        client.assistant.threads.setTitle({ channel_id: channel, thread_ts: threadTs, title }),
      );
    },
    startStream: ({ channel, threadTs, teamId, userId }): AnswerStream => {
      const streamer = poster.chatStream({
        channel,
        thread_ts: threadTs,
        recipient_team_id: teamId,
        recipient_user_id: userId,
        buffer_size: STREAM_BUFFER_CHARACTERS,
      });
      return {
        get ts() {
          return streamer.ts;
        },
        append: async (markdown) => {
          // The first flush is `chat.startStream`, later ones `chat.appendStream`; which
          // one failed shows in whether the stream has its ts afterwards.
          try {
            await streamer.append({ markdown_text: markdown });
          } catch (error) {
            throw toSlackError(streamer.ts ? 'chat.appendStream' : 'chat.startStream', error);
          }
        },
        stop: async (blocks: SlackBlock[]) => {
          try {
            await streamer.stop({ blocks });
          } catch (error) {
            throw toSlackError(streamer.ts ? 'chat.stopStream' : 'chat.startStream', error);
          }
        },
      };
    },
    stopStream: async ({ channel, ts }) => {
      await call('chat.stopStream', () => client.chat.stopStream({ channel, ts })).catch(
        () => undefined,
      );
    },
  };
}

/**
 * Slack's own refusals keep their code; a request that never got an answer, an HTTP
 * failure or a rate limit the retries did not outlast become `unreachable`,
 * `http_<status>` and `ratelimited`.
 */
function toSlackError(method: string, error: unknown): unknown {
  const known = error as Partial<WebAPICallError> | undefined;
  switch (known?.code) {
    case ErrorCode.PlatformError:
      return new SlackApiCallError(method, (error as { data: { error: string } }).data.error);
    case ErrorCode.RateLimitedError:
      return new SlackApiCallError(method, 'ratelimited');
    case ErrorCode.HTTPError:
      return new SlackApiCallError(method, `http_${(error as { statusCode: number }).statusCode}`);
    case ErrorCode.RequestError:
      return new SlackApiCallError(method, 'unreachable', { cause: error });
    default:
      return error;
  }
}
