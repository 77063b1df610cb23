import { SlackApiCallError } from '../errors.ts';
import { answerBlocks, MAX_SECTION_CHARACTERS } from './blocks.ts';
import { defuseSlackSyntax, escapeMrkdwn, toMrkdwn } from './mrkdwn.ts';
import type { AnswerStream, SlackApi, SlackBlock } from './slack-api.ts';
import { splitText } from './split-text.ts';

/** Most characters streamed into one message; the rest of a longer answer follows in more. */
export const MAX_STREAM_CHARACTERS = 12_000;
/** Most characters of one posted message: four sections of Slack's 3000. */
export const MAX_MESSAGE_CHARACTERS = 4 * MAX_SECTION_CHARACTERS;
/** `chat.update` is rate tier 3 (about 50 a minute): at most one per 1.5 s while writing. */
const UPDATE_INTERVAL_MS = 1_500;

/** Slack codes that mean "try again later", not "this workspace does not stream". */
const TRANSIENT = new Set([
  'ratelimited',
  'unreachable',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** Where the answer goes and what an earlier attempt already posted. */
export interface SinkTarget {
  channel: string;
  threadTs: string;
  teamId: string;
  userId: string;
  /** The first message an earlier attempt posted: edited, never posted again. */
  resumeTs: string | undefined;
  /** Extra messages of a long answer an earlier attempt already posted. */
  extraPartsPosted: number;
}

/** Told of each message as soon as Slack has it, so a crash after posting leaves a record. */
export interface SinkRecorder {
  posted(ts: string): Promise<void>;
  extraPartPosted(count: number): Promise<void>;
}

/**
 * Carries one answer into the thread as the model writes it. First choice: Slack's chat
 * streaming (`chat.startStream` at the first chunk, `appendStream`, `stopStream` with
 * the sources and feedback buttons). Where Slack refuses to stream, or an earlier
 * attempt already posted a message, it posts once and edits with `chat.update` at most
 * once a second, the final edit in mrkdwn. Past a message's limit the rest follows in
 * more messages, the footer under the last.
 */
export class AnswerSink {
  readonly #slack: SlackApi;
  readonly #target: SinkTarget;
  readonly #recorder: SinkRecorder;
  #mode: 'stream' | 'update';
  #stream: AnswerStream | undefined;
  #ts: string | undefined;
  #text = '';
  #streamed = 0;
  #streamFull = false;
  #lastUpdate = 0;
  #chain: Promise<void> = Promise.resolve();
  #failure: { error: unknown } | undefined;

  constructor(slack: SlackApi, target: SinkTarget, recorder: SinkRecorder) {
    this.#slack = slack;
    this.#target = target;
    this.#recorder = recorder;
    this.#ts = target.resumeTs;
    this.#mode = target.resumeTs ? 'update' : 'stream';
    if (target.resumeTs) {
      // A stream the crashed attempt left open would not take edits.
      this.#enqueue(() =>
        slack.stopStream({ channel: target.channel, ts: target.resumeTs as string }),
      );
    }
  }

  /** The answer's first message, once posted. */
  get ts(): string | undefined {
    return this.#ts;
  }

  /** Takes the next piece of the answer; called synchronously by the turn's `onDelta`. */
  push(delta: string): void {
    this.#text += delta;
    this.#enqueue(() => this.#send(delta));
  }

  /**
   * Puts the whole answer in place, as the turn returned it, with `footer` under it;
   * resolves with the first message's ts. Throws what failed on the way.
   */
  async finish(answer: string, footer: SlackBlock[]): Promise<string> {
    await this.#chain;
    if (this.#failure) throw this.#failure.error;
    const text = answer.trim() === '' ? '_No answer._' : answer;
    if (this.#mode === 'stream') {
      const rest = text.slice(this.#streamed);
      const fits = rest.length <= MAX_STREAM_CHARACTERS - this.#streamed;
      const stream = this.#openStream();
      try {
        if (fits && rest !== '') await stream.append(defuseSlackSyntax(rest));
        await stream.stop(fits ? footer : []);
        await this.#noteFirst(stream.ts);
        if (!fits)
          await this.#postExtra(splitText(toMrkdwn(rest), MAX_MESSAGE_CHARACTERS), footer, 0);
        return this.#ts as string;
      } catch (error) {
        // Started, then failed: the message exists, and a redelivery must edit it.
        await this.#noteFirst(stream.ts);
        if (!this.#refusedStreaming(error)) throw error;
        this.#mode = 'update';
      }
    }
    const parts = splitText(toMrkdwn(text), MAX_MESSAGE_CHARACTERS);
    const [first = '', ...extra] = parts;
    await this.#write(first, extra.length === 0 ? footer : [], true);
    await this.#postExtra(extra, footer, this.#target.extraPartsPosted);
    return this.#ts as string;
  }

  #enqueue(step: () => Promise<void>): void {
    this.#chain = this.#chain.then(async () => {
      if (this.#failure) return;
      try {
        await step();
      } catch (error) {
        this.#failure = { error };
      }
    });
  }

  async #send(delta: string): Promise<void> {
    if (this.#mode === 'stream') {
      // Past one message's worth the rest waits for `finish`, which posts it separately;
      // once one piece is held back every later one is, so the text stays in order.
      if (this.#streamFull || this.#streamed + delta.length > MAX_STREAM_CHARACTERS) {
        this.#streamFull = true;
        return;
      }
      const stream = this.#openStream();
      try {
        await stream.append(defuseSlackSyntax(delta));
        this.#streamed += delta.length;
        await this.#noteFirst(stream.ts);
        return;
      } catch (error) {
        if (!this.#refusedStreaming(error)) throw error;
        this.#mode = 'update';
      }
    }
    if (Date.now() - this.#lastUpdate < UPDATE_INTERVAL_MS && this.#ts) return;
    const [first = ''] = splitText(this.#text, MAX_MESSAGE_CHARACTERS);
    // Shown as plain text while it is written; the final edit converts the Markdown.
    await this.#write(escapeMrkdwn(first), [], false);
  }

  /** Posts the first message, or edits it once there is one. */
  async #write(text: string, footer: SlackBlock[], final: boolean): Promise<void> {
    this.#lastUpdate = Date.now();
    const blocks = final
      ? answerBlocks(splitText(text, MAX_SECTION_CHARACTERS), footer)
      : undefined;
    const message = { channel: this.#target.channel, text, ...(blocks ? { blocks } : {}) };
    if (this.#ts) {
      await this.#slack.updateMessage({ ...message, ts: this.#ts });
      return;
    }
    const { ts } = await this.#slack.postMessage({ ...message, threadTs: this.#target.threadTs });
    await this.#noteFirst(ts);
  }

  async #postExtra(parts: string[], footer: SlackBlock[], alreadyPosted: number): Promise<void> {
    for (const [index, part] of parts.entries()) {
      if (index < alreadyPosted) continue;
      const last = index === parts.length - 1;
      await this.#slack.postMessage({
        channel: this.#target.channel,
        threadTs: this.#target.threadTs,
        text: part,
        blocks: answerBlocks(splitText(part, MAX_SECTION_CHARACTERS), last ? footer : []),
      });
      await this.#recorder.extraPartPosted(index + 1);
    }
  }

  #openStream(): AnswerStream {
    this.#stream ??= this.#slack.startStream({
      channel: this.#target.channel,
      threadTs: this.#target.threadTs,
      teamId: this.#target.teamId,
      userId: this.#target.userId,
    });
    return this.#stream;
  }

  async #noteFirst(ts: string | undefined): Promise<void> {
    if (!ts || this.#ts) return;
    this.#ts = ts;
    await this.#recorder.posted(ts);
  }

  /** Slack refused to start a stream here (not a passing failure): post and edit instead. */
  #refusedStreaming(error: unknown): boolean {
    return (
      error instanceof SlackApiCallError &&
      error.method === 'chat.startStream' &&
      !TRANSIENT.has(error.slackError) &&
      !error.slackError.startsWith('http_')
    );
  }
}
