import type { ThreadStartedJob } from '../job.ts';
import type { SlackApi } from './slack-api.ts';

/** What the assistant surface offers in a new thread. */
const SUGGESTED_PROMPTS = [
  {
    title: 'What can you do?',
    message: 'What can you help me with, and where do your answers come from?',
  },
  { title: 'Search the knowledge base', message: 'What does our documentation say about ' },
  { title: 'Summarize a policy', message: 'Summarize the main points of our policy on ' },
];

/**
 * An assistant thread was opened: suggested prompts and a first title. Both calls only
 * set state, so a redelivery repeats them harmlessly and no record is kept.
 */
export async function startAssistantThread(slack: SlackApi, job: ThreadStartedJob): Promise<void> {
  await slack.setSuggestedPrompts({
    channel: job.channel,
    threadTs: job.threadTs,
    title: 'Ask about your knowledge base',
    prompts: SUGGESTED_PROMPTS,
  });
  await slack.setTitle({ channel: job.channel, threadTs: job.threadTs, title: 'New question' });
}
