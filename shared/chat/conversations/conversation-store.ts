import type { Pipeline } from '@upstash/redis';
import { hashReply, type Redis, redisCall } from '../../platform/redis/index.ts';
import { tenantKeys } from '../../platform/tenancy/index.ts';
import { ConversationNotFoundError } from './errors.ts';
import { APPEND_TURN, DELETE_CONVERSATION } from './lua-scripts.ts';
import type { ConversationSummary, StoredTurn } from './types.ts';

/** A conversation as a chat turn reads it: its owner and its latest turns. */
export interface ConversationState {
  /** Undefined when there is no such conversation (never was, expired or deleted). */
  ownerId: string | undefined;
  turns: StoredTurn[];
}

/** Commands {@link queueConversationRead} adds to a pipeline. */
export const CONVERSATION_READ_COMMANDS = 2;

/**
 * Queues the reads a chat turn needs of a conversation (its owner, its last `turns`
 * turns) in the caller's pipeline; pass the pipeline's replies to the returned function.
 */
export function queueConversationRead(
  pipeline: Pipeline,
  tenant: string,
  conversationId: string,
  turns: number,
): (replies: readonly unknown[]) => ConversationState {
  const keys = tenantKeys(tenant);
  const offset = pipeline.length();
  pipeline.hget(keys.conversation(conversationId), 'userId');
  // LRANGE -0 -1 would read every turn: with no history wanted, read an empty range.
  if (turns > 0) pipeline.lrange(keys.conversationTurns(conversationId), -turns, -1);
  else pipeline.lrange(keys.conversationTurns(conversationId), 1, 0);
  return (replies) => {
    const owner = replies[offset];
    return {
      ownerId: typeof owner === 'string' ? owner : undefined,
      turns: ((replies[offset + 1] as unknown[] | null) ?? []).map(parseTurn),
    };
  };
}

export interface TurnWrite {
  tenant: string;
  conversationId: string;
  userId: string;
  /** The conversation's title if this turn creates it. */
  title: string;
  /** The turn continues a conversation: if it is gone by now, nothing is written. */
  mustExist: boolean;
  turn: StoredTurn;
  maxStoredTurns: number;
  retentionSeconds: number;
  /** The request's idempotency record, stored with the turn. */
  idempotency?: { redisKey: string; record: string; seconds: number };
}

/**
 * Queues a turn's write (one script) in the caller's transaction; after `exec()`, pass
 * the replies to the returned function, which throws {@link ConversationNotFoundError}
 * if the conversation turned out to be another user's, or was deleted meanwhile.
 */
export function queueTurnWrite(
  transaction: Pipeline,
  write: TurnWrite,
): (replies: readonly unknown[]) => void {
  const keys = tenantKeys(write.tenant);
  const offset = transaction.length();
  const now = new Date(write.turn.assistant.at);
  // EVAL, not EVALSHA: a transaction cannot fall back if the script is not cached.
  transaction.eval(
    APPEND_TURN,
    [
      keys.conversation(write.conversationId),
      keys.conversationTurns(write.conversationId),
      keys.userConversations(write.userId),
      ...(write.idempotency
        ? [write.idempotency.redisKey, keys.userIdempotencyRecords(write.userId)]
        : []),
    ],
    [
      write.userId,
      write.title,
      now.toISOString(),
      String(now.getTime()),
      JSON.stringify(write.turn),
      String(write.maxStoredTurns),
      String(write.retentionSeconds),
      write.conversationId,
      write.mustExist ? '1' : '0',
      ...(write.idempotency ? [write.idempotency.record, String(write.idempotency.seconds)] : []),
    ],
  );
  return (replies) => {
    const reply = replies[offset] as unknown[];
    if (reply?.[0] !== 'ok') throw new ConversationNotFoundError(write.conversationId);
  };
}

export interface ConversationPage {
  conversations: ConversationSummary[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** A user's conversations, most recently active first, `limit` at a time. */
export async function listConversations(
  redis: Redis,
  tenant: string,
  userId: string,
  options: { limit: number; cursor?: string | undefined; retentionSeconds: number },
): Promise<ConversationPage> {
  const keys = tenantKeys(tenant);
  const index = keys.userConversations(userId);
  const now = Date.now();
  // The cursor is the last activity (ms) of the previous page's last entry, exclusive.
  const max: '+inf' | `(${number}` =
    options.cursor === undefined ? '+inf' : `(${Number(options.cursor)}`;
  const pipeline = redis.pipeline();
  pipeline.zremrangebyscore(index, '-inf', now - options.retentionSeconds * 1000);
  pipeline.zrange(index, max, '-inf', {
    byScore: true,
    rev: true,
    withScores: true,
    offset: 0,
    count: options.limit + 1,
  });
  const [, entries] = (await redisCall(() => pipeline.exec())) as [unknown, (string | number)[]];
  const page: { id: string; score: number }[] = [];
  for (let i = 0; i + 1 < entries.length; i += 2) {
    page.push({ id: String(entries[i]), score: Number(entries[i + 1]) });
  }
  const hasMore = page.length > options.limit;
  const shown = page.slice(0, options.limit);
  if (shown.length === 0) return { conversations: [], nextCursor: null };
  const metas = redis.pipeline();
  for (const { id } of shown) metas.hgetall(keys.conversation(id));
  const replies = (await redisCall(() => metas.exec())) as unknown[];
  const conversations = shown.flatMap(({ id }, position) => {
    const meta = hashReply(replies[position]);
    // Gone (expired or deleted) between the index and the read, or not this user's.
    if (!meta || String(meta.userId) !== userId) return [];
    return [summaryOf(id, meta)];
  });
  const last = shown[shown.length - 1];
  return { conversations, nextCursor: hasMore && last ? String(last.score) : null };
}

/**
 * Bytes of turns one answer carries at most: Lambda refuses responses over 6 MB, and 200
 * turns of long messages in a script of three bytes per character can pass that.
 */
const MAX_TURN_BYTES = 5 * 1024 * 1024;

/**
 * A conversation with its stored turns, oldest first: all of them, or the newest that fit
 * {@link MAX_TURN_BYTES} (`turnsOmitted` says how many older ones were left out). 404
 * unless it is the user's.
 */
export async function getConversation(
  redis: Redis,
  tenant: string,
  conversationId: string,
  userId: string,
): Promise<ConversationSummary & { turns: StoredTurn[]; turnsOmitted: number }> {
  const keys = tenantKeys(tenant);
  const pipeline = redis.pipeline();
  pipeline.hgetall(keys.conversation(conversationId));
  pipeline.lrange(keys.conversationTurns(conversationId), 0, -1);
  const [reply, turns] = (await redisCall(() => pipeline.exec())) as [unknown, unknown[]];
  const meta = hashReply(reply);
  if (!meta || String(meta.userId) !== userId) {
    throw new ConversationNotFoundError(conversationId);
  }
  let bytes = 0;
  let first = turns.length;
  while (first > 0) {
    const size = Buffer.byteLength(String(turns[first - 1]), 'utf8');
    if (bytes + size > MAX_TURN_BYTES) break;
    bytes += size;
    first -= 1;
  }
  return {
    ...summaryOf(conversationId, meta),
    turns: turns.slice(first).map(parseTurn),
    turnsOmitted: first,
  };
}

/** Deletes a conversation of the user's; 404 unless it is theirs. */
export async function deleteConversation(
  redis: Redis,
  tenant: string,
  conversationId: string,
  userId: string,
): Promise<void> {
  const keys = tenantKeys(tenant);
  const deleted = await redisCall(() =>
    redis.eval(
      DELETE_CONVERSATION,
      [
        keys.conversation(conversationId),
        keys.conversationTurns(conversationId),
        keys.userConversations(userId),
      ],
      [userId, conversationId],
    ),
  );
  if (Number(deleted) !== 1) throw new ConversationNotFoundError(conversationId);
}

/**
 * Deletes the idempotency records that would replay answers of one conversation of the
 * user's (records are kept 24 hours; a user has few).
 */
export async function deleteReplayableAnswers(
  redis: Redis,
  tenant: string,
  userId: string,
  conversationId: string,
): Promise<void> {
  const records = tenantKeys(tenant).userIdempotencyRecords(userId);
  const keys = (await redisCall(() => redis.smembers(records))) as string[];
  if (keys.length === 0) return;
  const reads = redis.pipeline();
  for (const key of keys) reads.get(key);
  const values = (await redisCall(() => reads.exec())) as (string | null)[];
  const ofConversation = keys.filter((_, position) => {
    const value = values[position];
    if (typeof value !== 'string') return false;
    const record = JSON.parse(value) as { result?: { conversationId?: string } };
    return record.result?.conversationId === conversationId;
  });
  if (ofConversation.length === 0) return;
  const removal = redis.pipeline();
  removal.del(...ofConversation);
  removal.srem(records, ...ofConversation);
  await redisCall(() => removal.exec());
}

/**
 * Deletes every conversation of a user, and the idempotency records that would replay
 * their answers; returns how many conversations there were.
 */
export async function deleteAllConversations(
  redis: Redis,
  tenant: string,
  userId: string,
): Promise<number> {
  const keys = tenantKeys(tenant);
  const index = keys.userConversations(userId);
  const records = keys.userIdempotencyRecords(userId);
  const replayable = (await redisCall(() => redis.smembers(records))) as string[];
  if (replayable.length > 0) await redisCall(() => redis.del(...replayable, records));
  const ids = (await redisCall(() => redis.zrange(index, 0, -1))) as string[];
  if (ids.length === 0) return 0;
  // One request for all of them: each delete is its own script, checking the owner.
  const deletes = redis.pipeline();
  for (const id of ids) {
    deletes.eval(
      DELETE_CONVERSATION,
      [keys.conversation(id), keys.conversationTurns(id), index],
      [userId, id],
    );
  }
  deletes.del(index);
  const replies = (await redisCall(() => deletes.exec())) as unknown[];
  return replies.slice(0, ids.length).reduce<number>((sum, reply) => sum + Number(reply), 0);
}

function summaryOf(id: string, meta: Record<string, string>): ConversationSummary {
  return {
    id,
    userId: String(meta.userId),
    title: String(meta.title ?? ''),
    createdAt: String(meta.createdAt ?? ''),
    updatedAt: String(meta.updatedAt ?? meta.createdAt ?? ''),
    turnCount: Number(meta.turnCount ?? 0),
  };
}

/** The client decodes JSON values itself; a turn may arrive parsed or as a string. */
function parseTurn(value: unknown): StoredTurn {
  return (typeof value === 'string' ? JSON.parse(value) : value) as StoredTurn;
}
