import { type KnowledgeIndex, memoryNamespace } from '../../knowledge/index/index.ts';
import type { Redis } from '../../platform/redis/index.ts';
import {
  deleteAllConversations,
  deleteConversation,
  deleteReplayableAnswers,
} from '../conversations/conversation-store.ts';
import { ConversationNotFoundError } from '../conversations/errors.ts';
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

/** Deletes in flight at once when memory entries are removed one by one. */
const DELETE_CONCURRENCY = 8;

/**
 * Deletes a conversation of the user's, what memory kept of its messages and the
 * idempotency records that would replay its answers, so none of it comes back. Memory
 * goes first: if the function stops midway, a retry still finds the conversation and
 * finishes. What memory kept of an expired conversation is deleted too.
 *
 * @throws ConversationNotFoundError (404) when there was neither such a conversation of
 *   the user's nor anything remembered from it
 */
export async function deleteConversationAndMemory(
  redis: Redis,
  index: KnowledgeIndex,
  tenant: string,
  conversationId: string,
  userId: string,
): Promise<void> {
  const ref = { tenant, namespace: memoryNamespace(userId) };
  const records = await index.listDocuments(ref);
  const remembered = records
    .filter((record) => record.metadata.conversationId === conversationId)
    .map((record) => record.id);
  for (let start = 0; start < remembered.length; start += DELETE_CONCURRENCY) {
    await Promise.all(
      remembered
        .slice(start, start + DELETE_CONCURRENCY)
        .map((id) => index.deleteDocument(ref, id)),
    );
  }
  await deleteReplayableAnswers(redis, tenant, userId, conversationId);
  try {
    await deleteConversation(redis, tenant, conversationId, userId);
  } catch (error) {
    if (!(error instanceof ConversationNotFoundError) || remembered.length === 0) throw error;
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
  // A user with no memory leaves no trace: clearing would still write a version. A stored
  // snapshot can still hold memories deleted one by one since, so it too calls for a clear.
  const remembered = await index.listDocuments(ref);
  const nothingStored = remembered.length === 0 && !(await index.hasSnapshot(ref));
  const memories = nothingStored ? 0 : await index.clearNamespace(ref);
  return { userId, conversations, memories };
}
