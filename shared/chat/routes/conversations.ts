import * as z from 'zod';
import { defineRoute } from '../../platform/http/route.ts';
import { userIdSchema } from '../../platform/principal/index.ts';
import { conversationIdSchema } from '../conversations/ids.ts';
import { citationSchema, recalledMemorySchema, usageSchema } from '../turn/result.ts';

const userQuery = {
  userId: userIdSchema
    .optional()
    .describe('Whose conversations; required unless the API key is bound to a user'),
};

const conversationSummarySchema = z.object({
  id: z.string(),
  userId: z.string(),
  title: z.string().describe('From the first message'),
  createdAt: z.string(),
  updatedAt: z.string().describe('Last activity'),
  turnCount: z.number().int().describe('Turns written, including ones no longer stored'),
});

const storedTurnSchema = z.object({
  messageId: z.string(),
  user: z.object({ text: z.string(), at: z.string() }),
  assistant: z.object({
    text: z.string(),
    at: z.string(),
    citations: z.array(citationSchema),
    mode: z.enum(['model', 'offline']),
    model: z.string(),
    usage: usageSchema,
  }),
});

const conversationParams = z.object({ id: conversationIdSchema }).strict();
const userParams = z.object({ userId: userIdSchema }).strict();

export const listConversationsRoute = defineRoute({
  operationId: 'listConversations',
  method: 'GET',
  path: '/v1/conversations',
  summary: "A user's conversations, most recently active first, a page at a time",
  tags: ['chat'],
  access: 'chat',
  query: z
    .object({
      ...userQuery,
      limit: z.coerce.number().int().min(1).max(100).default(20),
      cursor: z
        .string()
        .regex(/^\d{1,16}(\.\d{1,6})?$/, 'must be the nextCursor of the previous page')
        .optional(),
    })
    .strict(),
  responses: {
    200: {
      description: 'A page of conversations',
      schema: z.object({
        conversations: z.array(conversationSummarySchema),
        nextCursor: z.string().nullable(),
      }),
    },
  },
});

export const getConversationRoute = defineRoute({
  operationId: 'getConversation',
  method: 'GET',
  path: '/v1/conversations/{id}',
  summary: 'A conversation with its stored turns and their citations',
  tags: ['chat'],
  access: 'chat',
  params: conversationParams,
  query: z.object(userQuery).strict(),
  responses: {
    200: {
      description: 'The conversation',
      schema: conversationSummarySchema.extend({
        turns: z.array(storedTurnSchema).describe('Oldest first'),
        turnsOmitted: z
          .number()
          .int()
          .describe('Older stored turns left out to keep the answer under 5 MiB (usually 0)'),
      }),
    },
    404: { description: "`conversation_not_found`: no such conversation of this user's" },
  },
});

export const deleteConversationRoute = defineRoute({
  operationId: 'deleteConversation',
  method: 'DELETE',
  path: '/v1/conversations/{id}',
  summary: 'Delete a conversation and what memory kept of its messages',
  tags: ['chat'],
  access: 'chat',
  params: conversationParams,
  query: z.object(userQuery).strict(),
  responses: {
    204: { description: 'Deleted' },
    404: { description: "`conversation_not_found`: no such conversation of this user's" },
  },
});

export const getMemoryRoute = defineRoute({
  operationId: 'getUserMemory',
  method: 'GET',
  path: '/v1/users/{userId}/memory',
  summary: 'What the assistant remembers of a user: their earlier messages, newest first',
  tags: ['chat'],
  access: 'chat',
  params: userParams,
  query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict(),
  responses: {
    200: {
      description: 'Remembered messages',
      schema: z.object({
        userId: z.string(),
        total: z.number().int(),
        memories: z.array(recalledMemorySchema),
      }),
    },
  },
});

export const forgetUserRoute = defineRoute({
  operationId: 'forgetUser',
  method: 'DELETE',
  path: '/v1/users/{userId}',
  summary: 'Forget a user entirely: every conversation and all memory',
  tags: ['chat'],
  access: 'chat',
  params: userParams,
  query: z.object({}).strict(),
  responses: {
    200: {
      description: 'What was deleted',
      schema: z.object({
        userId: z.string(),
        conversations: z.number().int(),
        memories: z.number().int(),
      }),
    },
  },
});
