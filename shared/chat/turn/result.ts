import * as z from 'zod';

const pageRangeSchema = z
  .object({ from: z.number().int(), to: z.number().int() })
  .nullable()
  .describe('Pages the passage spans, 1-based and inclusive; null for formats without pages');

export const citationSchema = z.object({
  n: z.number().int().describe('The number the answer cites it by, as [n]'),
  documentId: z.string(),
  title: z.string(),
  source: z.string(),
  headingPath: z.array(z.string()),
  pageRange: pageRangeSchema,
  snippet: z.string(),
  score: z.number(),
});

export const recalledMemorySchema = z.object({
  messageId: z.string(),
  conversationId: z.string(),
  text: z.string(),
  at: z.string().describe('When the user said it (ISO 8601)'),
  score: z.number(),
});

export const usageSchema = z.object({
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  totalTokens: z.number().int(),
});

export const chatModeSchema = z
  .enum(['model', 'offline'])
  .describe('`offline`: no model key is configured; the answer quotes the best passages');

/** The JSON answer of `POST /v1/chat`, and what the SSE events carry between them. */
export const chatTurnResultSchema = z.object({
  conversationId: z.string(),
  messageId: z.string().describe("The stored turn's id (the user message and its answer)"),
  answer: z.string(),
  citations: z
    .array(citationSchema)
    .describe('The passages the answer cites, in order of first use; invented numbers dropped'),
  memories: z.array(recalledMemorySchema).describe("The user's earlier messages it was given"),
  model: z.string(),
  usage: usageSchema,
  mode: chatModeSchema,
});

export type ChatTurnResult = z.infer<typeof chatTurnResultSchema>;

/** The `meta` event: sent once retrieval is done, before the first piece of the answer. */
export const chatTurnMetaSchema = z.object({
  conversationId: z.string(),
  messageId: z.string(),
  model: z.string(),
  mode: chatModeSchema,
  passages: z.array(citationSchema).describe('Every passage the model was given, numbered'),
  memories: z.array(recalledMemorySchema),
});

export type ChatTurnMeta = z.infer<typeof chatTurnMetaSchema>;
