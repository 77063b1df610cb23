import { queueHandler } from '#shared/app/handlers.ts';
import { SLACK_QUEUE, slackJobSchema } from '#shared/slack/job.ts';
import { slackWorkerDeps } from '#shared/slack/worker/container.ts';
import { handleSlackJob } from '#shared/slack/worker/handle-job.ts';

/**
 * The Slack queue's consumer: answers each queued message in its thread, streamed, once
 * however often SQS delivers it; sets up new assistant threads.
 */
export const handler = queueHandler({
  queue: SLACK_QUEUE,
  schema: slackJobSchema,
  handle: (job, { services, receiveCount, deadline }) =>
    handleSlackJob(slackWorkerDeps(services), job, { receiveCount, deadline }),
});
