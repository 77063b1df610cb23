import type { ChatTurnResult } from '../../chat/turn/result.ts';
import type { ChatTurnHooks, ChatTurnRequest } from '../../chat/turn/run-chat-turn.ts';
import { logger } from '../../platform/logging/logger.ts';
import type { RateLimiters } from '../../platform/rate-limit/rate-limiter.ts';
import type { Redis } from '../../platform/redis/index.ts';
import { cutText } from '../../platform/validation/cut-text.ts';
import { AnswerInProgressError } from '../errors.ts';
import { chatUserIdOf, conversationIdOf } from '../ids.ts';
import type { AnswerJob } from '../job.ts';
import { answeredThreads } from '../threads.ts';
import { answerRecord, lockAnswer } from './answer-record.ts';
import { AnswerSink } from './answer-sink.ts';
import { answerFooter } from './blocks.ts';
import type { SlackApi } from './slack-api.ts';
import { clearThinking, showThinking } from './thinking-status.ts';
import { threadHistory } from './thread-history.ts';

/** The thread's most recent messages read; the turn fits history to its budget anyway. */
const THREAD_MESSAGES = 100;
const TITLE_CHARACTERS = 60;

/** What the worker uses, built once per container (`container.ts`). */
export interface SlackWorkerDeps {
  redis: Redis;
  slack: SlackApi;
  rateLimiters: RateLimiters;
  /** The chat turn (`runChatTurn` on the container's services). */
  turn(request: ChatTurnRequest, hooks: ChatTurnHooks): Promise<ChatTurnResult>;
}

/** Which delivery this is, and by when it must be done. */
export interface Delivery {
  receiveCount: number;
  /** The queue's receive count: the last delivery apologizes if it fails. */
  maxReceives: number;
  deadline: number;
}

/**
 * Answers one Slack message exactly once, however often it is delivered. The event's
 * answer record says what an earlier delivery did: `done` (or `apologized`, `limited`)
 * ends here; `posting` with a message ts means it crashed after posting, and this one
 * writes the answer into that message instead of a new one. A lock keeps two concurrent
 * deliveries from both answering.
 *
 * On a first delivery the per-Slack-user rate limit is checked (over it: a short
 * ephemeral notice, once). Then the thinking status, the thread's earlier messages as
 * history, the chat turn streaming into the thread, the record marked `done`, and the
 * thread remembered so follow-ups need no mention. A failure is thrown, so the message
 * comes back; on the last delivery one short apology with the event id as reference is
 * posted first.
 */
export async function answerEvent(
  deps: SlackWorkerDeps,
  job: AnswerJob,
  delivery: Delivery,
): Promise<void> {
  const lock = await lockAnswer(deps.redis, job.tenant, job.eventId, delivery.deadline);
  if (!lock.held) throw new AnswerInProgressError(job.eventId);
  const record = answerRecord(deps.redis, job.tenant, job.eventId);
  try {
    const earlier = await record.read();
    if (earlier && earlier.state !== 'posting') {
      logger.info('slack event already answered', { eventId: job.eventId, state: earlier.state });
      return;
    }
    // Counted once per event: a redelivery of a failed answer spends no second token.
    if (!earlier && delivery.receiveCount === 1 && !(await withinRateLimit(deps, job, record))) {
      return;
    }
    try {
      await answer(deps, job, delivery, {
        resumeTs: earlier?.ts,
        extraPartsPosted: earlier?.extraParts ?? 0,
      });
    } catch (error) {
      if (delivery.receiveCount >= delivery.maxReceives) {
        logger.error(
          'slack answer failed on its last delivery; the job goes to the dead-letter queue',
          {
            eventId: job.eventId,
            tenant: job.tenant,
            receiveCount: delivery.receiveCount,
            error: error as Error,
          },
        );
        await apologize(deps, job);
      }
      throw error;
    }
  } finally {
    await lock.release();
  }
}

async function answer(
  deps: SlackWorkerDeps,
  job: AnswerJob,
  delivery: Delivery,
  resume: { resumeTs: string | undefined; extraPartsPosted: number },
): Promise<void> {
  const { slack } = deps;
  const record = answerRecord(deps.redis, job.tenant, job.eventId);
  const place = { channel: job.channel, threadTs: job.threadTs, messageTs: job.messageTs };
  const shown = await showThinking(slack, { ...place, direct: job.direct });
  const thread = await slack.threadReplies({
    channel: job.channel,
    threadTs: job.threadTs,
    until: job.messageTs,
    maxMessages: THREAD_MESSAGES,
  });
  const history = threadHistory(thread, job);
  if (shown === 'assistant-status' && history.length === 0) {
    await slack
      .setTitle({ channel: job.channel, threadTs: job.threadTs, title: titleOf(job.text) })
      .catch(() => undefined);
  }
  const sink = new AnswerSink(
    slack,
    { ...place, teamId: job.teamId, userId: job.userId, ...resume },
    {
      posted: (ts) => record.posted(ts),
      extraPartPosted: (count) => record.extraPartPosted(count),
    },
  );
  const result = await deps.turn(
    {
      tenant: job.tenant,
      userId: chatUserIdOf(job.teamId, job.userId),
      message: job.text,
      conversationId: conversationIdOf(job.teamId, job.channel, job.threadTs, job.userId),
      createConversation: true,
      history,
      // A redelivery after the turn was stored replays it: no second model call, and the
      // conversation and memory hold the turn once.
      idempotency: { scope: 'slack', key: job.eventId },
    },
    { deadline: delivery.deadline, onDelta: (text) => sink.push(text) },
  );
  const ts = await sink.finish(result.answer, answerFooter(result.citations));
  await record.done(ts);
  await answeredThreads.mark(deps.redis, job.tenant, job);
  await clearThinking(slack, shown, place);
}

async function withinRateLimit(
  deps: SlackWorkerDeps,
  job: AnswerJob,
  record: ReturnType<typeof answerRecord>,
): Promise<boolean> {
  const decision = await deps.rateLimiters.forSlackUser(job.tenant, `${job.teamId}.${job.userId}`);
  if (decision.allowed) return true;
  await deps.slack.postEphemeral({
    channel: job.channel,
    user: job.userId,
    threadTs: job.threadTs,
    text: `You're asking faster than I can answer (${decision.limit} questions a minute). Try again in ${decision.retryAfterSeconds} s.`,
  });
  await record.limited();
  logger.info('slack question rate limited', { eventId: job.eventId, tenant: job.tenant });
  return false;
}

/**
 * One short apology in the thread, in place of a half-written answer if there is one,
 * carrying the event id that the logs carry too.
 */
async function apologize(deps: SlackWorkerDeps, job: AnswerJob): Promise<void> {
  const record = answerRecord(deps.redis, job.tenant, job.eventId);
  try {
    const current = await record.read();
    if (current && current.state !== 'posting') return;
    const text = `Sorry, I couldn't answer that. If you report it, quote reference \`${job.eventId}\`.`;
    if (current?.ts) {
      await deps.slack.stopStream({ channel: job.channel, ts: current.ts });
      await deps.slack.updateMessage({ channel: job.channel, ts: current.ts, text, blocks: [] });
    } else {
      await deps.slack.postMessage({ channel: job.channel, threadTs: job.threadTs, text });
    }
    await record.apologized();
  } catch (error) {
    logger.error('slack apology not posted', { eventId: job.eventId, error: error as Error });
  }
}

function titleOf(question: string): string {
  const line = question.split('\n')[0]?.trim() ?? '';
  return cutText(line, TITLE_CHARACTERS);
}
