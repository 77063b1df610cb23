import { apiHandler } from '#shared/app/handlers.ts';
import {
  getConversation,
  listConversations,
} from '#shared/chat/conversations/conversation-store.ts';
import {
  deleteConversationAndMemory,
  forgetUser,
  listMemories,
} from '#shared/chat/memory/manage-memory.ts';
import { apiUserId } from '#shared/chat/routes/api-user.ts';
import {
  deleteConversationRoute,
  forgetUserRoute,
  getConversationRoute,
  getMemoryRoute,
  listConversationsRoute,
} from '#shared/chat/routes/conversations.ts';
import { getKnowledgeIndex } from '#shared/knowledge/index/container.ts';
import { implement } from '#shared/platform/http/route.ts';
import { tenantOf } from '#shared/platform/principal/index.ts';

const DAY_SECONDS = 24 * 60 * 60;

/** `/v1/conversations` and `/v1/users/{userId}`: a user's conversations and memory. */
export const handler = apiHandler([
  implement(listConversationsRoute, async ({ services, principal, query }) => ({
    status: 200,
    body: await listConversations(
      services.redis,
      tenantOf(principal),
      apiUserId(principal, query.userId),
      {
        limit: query.limit,
        cursor: query.cursor,
        retentionSeconds: services.config.chat.retentionDays * DAY_SECONDS,
      },
    ),
  })),
  implement(getConversationRoute, async ({ services, principal, params, query }) => ({
    status: 200,
    body: await getConversation(
      services.redis,
      tenantOf(principal),
      params.id,
      apiUserId(principal, query.userId),
    ),
  })),
  implement(deleteConversationRoute, async ({ services, principal, params, query }) => {
    await deleteConversationAndMemory(
      services.redis,
      getKnowledgeIndex(services),
      tenantOf(principal),
      params.id,
      apiUserId(principal, query.userId),
    );
    return { status: 204 };
  }),
  implement(getMemoryRoute, async ({ services, principal, params, query }) => ({
    status: 200,
    body: await listMemories(
      getKnowledgeIndex(services),
      tenantOf(principal),
      apiUserId(principal, params.userId),
      query.limit,
    ),
  })),
  implement(forgetUserRoute, async ({ services, principal, params }) => ({
    status: 200,
    body: await forgetUser(
      services.redis,
      getKnowledgeIndex(services),
      tenantOf(principal),
      apiUserId(principal, params.userId),
    ),
  })),
]);
