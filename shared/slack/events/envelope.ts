import * as z from 'zod';

/**
 * The parts of Slack's payloads the app reads. Loose objects: Slack adds fields over time,
 * and an unknown field must not make a signed event fail. Ids are checked where they are
 * used (the job schema), so a malformed one is refused before it reaches a Redis key.
 */
const authorizationSchema = z.looseObject({
  user_id: z.string().optional(),
  is_bot: z.boolean().optional(),
});

/** An inner event of the Events API: messages, mentions, assistant threads. */
export const innerEventSchema = z.looseObject({
  type: z.string(),
  subtype: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  /** The app that posted a bot message: this app's own, when it equals `api_app_id`. */
  app_id: z.string().optional(),
  text: z.string().optional(),
  ts: z.string().optional(),
  thread_ts: z.string().optional(),
  channel: z.string().optional(),
  channel_type: z.string().optional(),
  assistant_thread: z
    .looseObject({
      user_id: z.string(),
      channel_id: z.string(),
      thread_ts: z.string(),
    })
    .optional(),
});
export type InnerEvent = z.infer<typeof innerEventSchema>;

/** `event_callback`: one event from a workspace. */
export const eventCallbackSchema = z.looseObject({
  type: z.literal('event_callback'),
  event_id: z.string(),
  api_app_id: z.string().optional(),
  team_id: z.string().optional(),
  enterprise_id: z.string().nullish(),
  authorizations: z.array(authorizationSchema).optional(),
  event: innerEventSchema,
});
export type EventCallback = z.infer<typeof eventCallbackSchema>;

/** `block_actions`: someone pressed a button of a message the bot posted. */
export const blockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  team: z.looseObject({ id: z.string(), enterprise_id: z.string().nullish() }).nullish(),
  enterprise: z.looseObject({ id: z.string() }).nullish(),
  user: z.looseObject({ id: z.string() }),
  container: z
    .looseObject({ channel_id: z.string().optional(), message_ts: z.string().optional() })
    .optional(),
  channel: z.looseObject({ id: z.string() }).nullish(),
  message: z.looseObject({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })),
});
export type BlockActions = z.infer<typeof blockActionsSchema>;
