import { SLACK_MAX_RECEIVES, type SlackJob } from '../job.ts';
import { answerEvent, type SlackWorkerDeps } from './answer-event.ts';
import { startAssistantThread } from './thread-started.ts';

/** One job off the Slack queue: a message to answer, or an assistant thread to set up. */
export async function handleSlackJob(
  deps: SlackWorkerDeps,
  job: SlackJob,
  delivery: { receiveCount: number; deadline: number },
): Promise<void> {
  if (job.kind === 'thread-started') {
    await startAssistantThread(deps.slack, job);
    return;
  }
  await answerEvent(deps, job, { ...delivery, maxReceives: SLACK_MAX_RECEIVES });
}
