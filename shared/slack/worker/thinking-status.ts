import { SlackApiCallError } from '../errors.ts';
import type { SlackApi } from './slack-api.ts';

/** The reaction that says "working on it" where the assistant status is not available. */
export const THINKING_REACTION = 'eyes';

/** How the worker showed it is working, so it can undo it. */
export type ThinkingShown = 'assistant-status' | 'reaction' | 'none';

/**
 * Shows at once that an answer is coming: in a DM, the assistant thread's status ("is
 * thinking…", which Slack clears when the answer arrives); where Slack refuses that (not
 * an assistant thread) or in a channel, an 👀 reaction on the question. Neither is worth
 * failing the answer for.
 */
export async function showThinking(
  slack: SlackApi,
  target: { channel: string; threadTs: string; messageTs: string; direct: boolean },
): Promise<ThinkingShown> {
  if (target.direct) {
    try {
      await slack.setStatus({
        channel: target.channel,
        threadTs: target.threadTs,
        status: 'is thinking…',
      });
      return 'assistant-status';
    } catch (error) {
      if (!(error instanceof SlackApiCallError)) throw error;
    }
  }
  try {
    await slack.addReaction({
      channel: target.channel,
      ts: target.messageTs,
      name: THINKING_REACTION,
    });
    return 'reaction';
  } catch (error) {
    if (!(error instanceof SlackApiCallError)) throw error;
    // A redelivery finds its own reaction there.
    return error.slackError === 'already_reacted' ? 'reaction' : 'none';
  }
}

/** Takes the reaction back once the answer is there; the status clears by itself. */
export async function clearThinking(
  slack: SlackApi,
  shown: ThinkingShown,
  target: { channel: string; messageTs: string },
): Promise<void> {
  if (shown !== 'reaction') return;
  await slack
    .removeReaction({ channel: target.channel, ts: target.messageTs, name: THINKING_REACTION })
    .catch(() => undefined);
}
