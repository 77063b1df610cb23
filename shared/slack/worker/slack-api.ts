import type { KnownBlock } from '@slack/web-api';

/** A Slack message as `conversations.replies` returns it, the parts the worker reads. */
export interface ThreadMessage {
  ts: string;
  user?: string;
  botId?: string;
  text: string;
}

/** A Block Kit block (Slack's own types), built by `blocks.ts`. */
export type SlackBlock = KnownBlock;

/** One answer streamed with `chat.startStream` / `appendStream` / `stopStream`. */
export interface AnswerStream {
  /** The streamed message's ts once Slack started it (after the first flush). */
  readonly ts: string | undefined;
  /** Appends Markdown; sent in chunks, so not every call reaches Slack at once. */
  append(markdown: string): Promise<void>;
  /** Sends what is buffered and ends the message, with blocks under it. */
  stop(blocks: SlackBlock[]): Promise<void>;
}

/**
 * The Slack Web API methods the worker calls. Every failure is a `SlackApiCallError`
 * carrying Slack's error code, so the worker decides on codes, never on a client's types.
 */
export interface SlackApi {
  postMessage(args: {
    channel: string;
    threadTs: string;
    text: string;
    blocks?: SlackBlock[];
  }): Promise<{ ts: string }>;
  updateMessage(args: {
    channel: string;
    ts: string;
    text: string;
    blocks?: SlackBlock[];
  }): Promise<void>;
  postEphemeral(args: {
    channel: string;
    user: string;
    threadTs: string;
    text: string;
  }): Promise<void>;
  /**
   * The thread's messages up to and including `until`, oldest first: the newest
   * `maxMessages` of them.
   */
  threadReplies(args: {
    channel: string;
    threadTs: string;
    until: string;
    maxMessages: number;
  }): Promise<ThreadMessage[]>;
  addReaction(args: { channel: string; ts: string; name: string }): Promise<void>;
  removeReaction(args: { channel: string; ts: string; name: string }): Promise<void>;
  setStatus(args: { channel: string; threadTs: string; status: string }): Promise<void>;
  setSuggestedPrompts(args: {
    channel: string;
    threadTs: string;
    title: string;
    prompts: { title: string; message: string }[];
  }): Promise<void>;
  setTitle(args: { channel: string; threadTs: string; title: string }): Promise<void>;
  /** Opens a stream in the thread; nothing reaches Slack until the first flush. */
  startStream(args: {
    channel: string;
    threadTs: string;
    teamId: string;
    userId: string;
  }): AnswerStream;
  /** Ends a stream an earlier, crashed attempt left open; Slack's refusal is ignored. */
  stopStream(args: { channel: string; ts: string }): Promise<void>;
}
