import * as z from 'zod';
import { tenantSchema } from '../platform/tenancy/index.ts';
import { slackIdSchema, slackTsSchema } from './ids.ts';

/** The queue the events function hands Slack work to and the worker consumes. */
export const SLACK_QUEUE = 'slack-answers';

/**
 * Deliveries of a job before it goes to the dead-letter queue. The worker posts its one
 * apology on the last of them, so the catalog's trigger and the worker read this one value.
 */
export const SLACK_MAX_RECEIVES = 3;

/** What the chat turn takes as one message: longer Slack messages are cut to this. */
export const MAX_QUESTION_CHARACTERS = 8000;

const common = {
  v: z.literal(1),
  tenant: tenantSchema,
  eventId: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'must be a Slack event id'),
  teamId: slackIdSchema,
  enterpriseId: slackIdSchema.optional(),
  channel: slackIdSchema,
  threadTs: slackTsSchema,
  userId: slackIdSchema,
};

/** Answer one message: a mention, a DM, a thread follow-up or an assistant-thread message. */
export const answerJobSchema = z.strictObject({
  ...common,
  kind: z.literal('answer'),
  /** The message being answered; `threadTs` is the thread it starts or belongs to. */
  messageTs: slackTsSchema,
  /** The question, the bot's mention taken out. */
  text: z.string().min(1).max(MAX_QUESTION_CHARACTERS),
  /** The bot's own user id in this workspace: its messages in the thread are the assistant's. */
  botUserId: slackIdSchema,
  /** A DM: the assistant surface's status can be tried there. */
  direct: z.boolean(),
});

/** An assistant thread opened: offer suggested prompts and give it a title. */
export const threadStartedJobSchema = z.strictObject({
  ...common,
  kind: z.literal('thread-started'),
});

/** Every message the Slack queue carries. */
export const slackJobSchema = z.discriminatedUnion('kind', [
  answerJobSchema,
  threadStartedJobSchema,
]);

export type AnswerJob = z.infer<typeof answerJobSchema>;
export type ThreadStartedJob = z.infer<typeof threadStartedJobSchema>;
export type SlackJob = z.infer<typeof slackJobSchema>;
