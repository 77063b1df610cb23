import * as z from 'zod';
import { searchRequestSchema, vectorWeightSchema } from '../../knowledge/index/index.ts';
import { errorBodySchema, noQuery } from '../../platform/http/common-schemas.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { userIdSchema } from '../../platform/principal/index.ts';
import { conversationIdSchema } from '../conversations/ids.ts';
import {
  chatTurnMetaSchema,
  chatTurnResultSchema,
  citationSchema,
  usageSchema,
} from '../turn/result.ts';

/** What an `Idempotency-Key` header may hold. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Longest message a turn takes; the token budget may refuse a shorter one (413). */
export const MAX_MESSAGE_CHARACTERS = 8_000;

export const chatRequestSchema = z
  .object({
    userId: userIdSchema
      .optional()
      .describe('Who is talking; required unless the API key is bound to a user'),
    message: z.string().trim().min(1).max(MAX_MESSAGE_CHARACTERS),
    conversationId: conversationIdSchema
      .optional()
      .describe("Continue this conversation (the user's own); absent: start a new one"),
    k: z.number().int().min(0).max(20).default(5).describe('Knowledge-base passages to use'),
    memory: z
      .boolean()
      .default(true)
      .describe("false: neither recall the user's earlier messages nor remember this one"),
    memoryK: z.number().int().min(0).max(10).default(3).describe('Earlier messages to recall'),
    vectorWeight: vectorWeightSchema
      .optional()
      .describe(
        "Knowledge-base search: the vector ranking's share of hybrid fusion, 0-1; default: the tenant's setting, else the embedder's",
      ),
    filter: searchRequestSchema.shape.filter.describe(
      'Only passages from these documents, sources or metadata values',
    ),
  })
  .strict();

export type ChatRequest = z.infer<typeof chatRequestSchema>;

export const chatRoute = defineRoute({
  operationId: 'chat',
  method: 'POST',
  path: '/v1/chat',
  summary:
    "Answer a message with the conversation, the user's memory and cited knowledge-base passages. `Accept: text/event-stream` streams it as server-sent events: `meta` (ids, numbered passages, memories), `delta` ({text}) as the model writes, then `done` ({conversationId, messageId, citations, usage}) or `error` ({error}). An `Idempotency-Key` header (1-128 of A-Z a-z 0-9 . _ : -) replays the first result for a repeated request.",
  tags: ['chat'],
  access: 'chat',
  query: noQuery,
  headers: z.object({
    'Idempotency-Key': z
      .string()
      .regex(IDEMPOTENCY_KEY_PATTERN)
      .optional()
      .describe(
        'Replays the first result for a repeated request (24 h, per API key); 409 while the first still runs',
      ),
  }),
  body: chatRequestSchema,
  responses: {
    200: {
      description:
        'The answer (JSON), or its event stream: `meta` once retrieval is done, `delta` as the model writes, then `done` or `error`',
      schema: chatTurnResultSchema,
      events: {
        meta: chatTurnMetaSchema,
        delta: z.object({ text: z.string() }),
        done: z.object({
          conversationId: z.string(),
          messageId: z.string(),
          citations: z.array(citationSchema),
          usage: usageSchema,
        }),
        error: errorBodySchema.extend({
          retryAfterSeconds: z
            .number()
            .int()
            .optional()
            .describe('For a 503 or 429: when a retry may succeed'),
        }),
      },
    },
    403: { description: '`user_mismatch`: a key bound to a user named another user' },
    404: { description: "`conversation_not_found`: no such conversation of this user's" },
    409: {
      description: '`idempotency_in_progress`: the request with this Idempotency-Key still runs',
    },
    413: { description: '`message_too_long`: the message does not fit the prompt budget' },
    422: { description: '`idempotency_key_reused`: the key was sent with another request' },
    503: {
      description:
        '`model_unavailable` (with Retry-After) when the model failed past its retries; nothing was stored, a retry is safe',
    },
  },
});
