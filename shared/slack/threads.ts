import type { Redis } from '../platform/redis/index.ts';
import { redisCall } from '../platform/redis/index.ts';
import { tenantKeys } from '../platform/tenancy/index.ts';

/**
 * How long a thread the bot answered in keeps taking follow-ups without a mention. Slack
 * threads stay open indefinitely; after a month a new question wants a new mention.
 */
const THREAD_DAYS = 30;

/**
 * Threads the bot answered in: a message in one of them is a follow-up the bot answers
 * without being mentioned again. Written by the worker, read by the events function.
 */
export const answeredThreads = {
  key: (tenant: string, teamId: string, channel: string, threadTs: string) =>
    tenantKeys(tenant).slackThread(teamId, channel, threadTs),

  async mark(
    redis: Redis,
    tenant: string,
    thread: { teamId: string; channel: string; threadTs: string },
  ): Promise<void> {
    await redisCall(() =>
      redis.set(answeredThreads.key(tenant, thread.teamId, thread.channel, thread.threadTs), '1', {
        ex: THREAD_DAYS * 24 * 60 * 60,
      }),
    );
  },
};
