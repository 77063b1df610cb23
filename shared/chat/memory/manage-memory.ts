import { type KnowledgeIndex, memoryNamespace } from '../../knowledge/index/index.ts';
import type { Redis } from '../../platform/redis/index.ts';
import { deleteAllConversations, deleteConversation } from '../conversations/conversation-store.ts';
import type { RecalledMemory } from '../model/context.ts';

/** What is remembered of a user: their earlier messages, newest first. */
export async function listMemories(
  index: KnowledgeIndex,
  tenant: string,
  userId: string,
  limit: number,
): Promise<{ userId: string; total: number; memories: RecalledMemory[] }> {
  const { documents } = await index.loadDocuments({ tenant, namespace: memoryNamespace(userId) });
  const memories = documents
    .map(({ record, chunks }) => ({
      messageId: record.id,
      conversationId: record.metadata.conversationId ?? '',
      text: chunks.map((chunk) => chunk.text).join('\n'),
      at: record.metadata.at ?? record.indexedAt,
      score: 0,
    }))
    .sort((a, b) => b.at.localeCompare(a.at));
  return { userId, total: memories.length, memories: memories.slice(0, limit) };
}

/**
 * Deletes a conversation of the user's and what memory kept of its messages, so none of
 * it is recalled in another conversation.
 *
 * @throws ConversationNotFoundError (404) unless the conversation is the user's
 */
export async function deleteConversationAndMemory(
  redis: Redis,
  index: KnowledgeIndex,
  tenant: string,
  conversationId: string,
  userId: string,
): Promise<void> {
  await deleteConversation(redis, tenant, conversationId, userId);
  const ref = { tenant, namespace: memoryNamespace(userId) };
  const records = await index.listDocuments(ref);
  for (const record of records) {
    if (record.metadata.conversationId === conversationId) {
      await index.deleteDocument(ref, record.id);
    }
  }
}

/** Forgets a user entirely: every conversation, all memory, every replayable answer. */
export async function forgetUser(
  redis: Redis,
  index: KnowledgeIndex,
  tenant: string,
  userId: string,
): Promise<{ userId: string; conversations: number; memories: number }> {
  const conversations = await deleteAllConversations(redis, tenant, userId);
  const ref = { tenant, namespace: memoryNamespace(userId) };
  // A user with no memory leaves no trace: clearing would still write a version.
  const remembered = await index.listDocuments(ref);
  const memories = remembered.length === 0 ? 0 : await index.clearNamespace(ref);
  return { userId, conversations, memories };
}
