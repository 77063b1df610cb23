import { createHash } from 'node:crypto';
import type { Pipeline } from '@upstash/redis';
import { type Embedder, getEmbedder } from '../../knowledge/embeddings/index.ts';
import {
  getKnowledgeIndex,
  IndexWriteConflictError,
  KNOWLEDGE_BASE_NAMESPACE,
  type KnowledgeIndex,
  memoryNamespace,
  type NamespaceRef,
  type NamespaceView,
  reembedNamespace,
  type SearchFilter,
  type SearchHit,
} from '../../knowledge/index/index.ts';
import { logger } from '../../platform/logging/logger.ts';
import { redisCall } from '../../platform/redis/index.ts';
import type { Services } from '../../platform/services.ts';
import { cutText } from '../../platform/validation/cut-text.ts';
import { queueConversationRead, queueTurnWrite } from '../conversations/conversation-store.ts';
import { ConversationNotFoundError } from '../conversations/errors.ts';
import { newConversationId, newMessageId } from '../conversations/ids.ts';
import type { StoredTurn } from '../conversations/types.ts';
import type { ChatModel } from '../model/chat-model.ts';
import { getChatModel } from '../model/container.ts';
import type { HistoryMessage, Passage, RecalledMemory } from '../model/context.ts';
import { queuePromptSettingsRead } from '../prompt-settings/index.ts';
import { citedPassages, toCitation } from './citations.ts';
import { fitContext } from './fit-context.ts';
import {
  type Claim,
  doneRecord,
  type IdempotencyRequest,
  type PendingClaim,
  queueIdempotencyClaim,
  releaseClaim,
  requestFingerprint,
} from './idempotency.ts';
import { assemblePrompt, newFence } from './prompt.ts';
import type { ChatTurnMeta, ChatTurnResult } from './result.ts';

export interface ChatTurnRequest {
  tenant: string;
  userId: string;
  message: string;
  /** Absent: a new conversation with a fresh id. */
  conversationId?: string | undefined;
  /**
   * Whether `conversationId` may name a conversation that does not exist yet (one per
   * Slack thread, say); otherwise an unknown id is a 404.
   */
  createConversation?: boolean | undefined;
  /** Knowledge-base passages to retrieve (0: none). */
  k?: number | undefined;
  /** Recall the user's earlier messages and remember this one (default true). */
  memory?: boolean | undefined;
  /** Memories to recall. */
  memoryK?: number | undefined;
  filter?: SearchFilter | undefined;
  /** Knowledge-base search's vector share of hybrid fusion; default: the tenant's, else the embedder's. */
  vectorWeight?: number | undefined;
  /**
   * The conversation so far as the caller has it (a Slack thread, other people's messages
   * included); used instead of the stored turns.
   */
  history?: HistoryMessage[] | undefined;
  /** Replays the first result for a repeated key instead of answering again. */
  idempotency?: IdempotencyRequest | undefined;
}

export interface ChatTurnHooks {
  /** Epoch ms by which the turn must be answered; model retries stop before it. */
  deadline?: number | undefined;
  /** Once aborted, nothing more is requested or written. */
  signal?: AbortSignal | undefined;
  /** Called once, when retrieval is done and before the model is asked. */
  onMeta?: ((meta: ChatTurnMeta) => void) | undefined;
  /** Called with each piece of the answer as it is written. */
  onDelta?: ((text: string) => void) | undefined;
}

/** What a turn uses; by default the container's own (tests and tools may pass theirs). */
export interface ChatTurnDependencies {
  index: KnowledgeIndex;
  embedder: Embedder;
  model: ChatModel;
}

export const DEFAULT_PASSAGES = 5;
export const DEFAULT_MEMORIES = 3;
/** Memory entries re-embedded within a turn at most, after an embedder change. */
const MEMORY_REEMBED_MAX_CHUNKS = 2_000;
/** A recalled message must share a term with this one or be this close in meaning. */
const MEMORY_MIN_VECTOR_SCORE = 0.35;
const TITLE_CHARACTERS = 80;
/**
 * The running mark of an idempotency key outlives the turn's deadline by this much: a
 * container frozen before it could free the key blocks retries no longer than that.
 */
const IDEMPOTENCY_MARGIN_SECONDS = 5;
/** How long the mark lasts when the caller gave no deadline. */
const IDEMPOTENCY_RUNNING_SECONDS = 15 * 60;
const DAY_SECONDS = 24 * 60 * 60;

/**
 * One chat turn, and the only place a prompt is assembled: the chat route and the Slack
 * worker both call it.
 *
 * Reads everything in one pipelined round trip (the conversation's recent turns, the
 * persona and instructions, the freshness of the knowledge base and of the user's
 * memory, and an idempotency claim) while the message is embedded once; that embedding
 * serves the memory search, the knowledge search and the memory write. The context is
 * fitted to the token budget, the model's answer streams through `onDelta`, and the turn
 * (both messages, the citations, the memory entry, the idempotency record) is written in
 * one transaction after the answer, or not at all.
 *
 * @throws ConversationNotFoundError (404) for an unknown id or another user's conversation
 * @throws ModelUnavailableError (503) when the model failed and no retry fits the deadline
 */
export async function runChatTurn(
  services: Pick<Services, 'config' | 'redis'>,
  request: ChatTurnRequest,
  hooks: ChatTurnHooks = {},
  dependencies: Partial<ChatTurnDependencies> = {},
): Promise<ChatTurnResult> {
  const { config, redis } = services;
  const index = dependencies.index ?? getKnowledgeIndex(services);
  const embedder = dependencies.embedder ?? getEmbedder(config);
  const model = dependencies.model ?? getChatModel(config);
  const { tenant, userId, message } = request;
  const k = request.k ?? DEFAULT_PASSAGES;
  const useMemory = request.memory ?? true;
  const memoryK = useMemory ? (request.memoryK ?? DEFAULT_MEMORIES) : 0;
  const memoryRef = { tenant, namespace: memoryNamespace(userId) };
  const kbRef = { tenant, namespace: KNOWLEDGE_BASE_NAMESPACE };
  const isNew = request.conversationId === undefined;
  const conversationId = request.conversationId ?? newConversationId();
  const readStored = !isNew && request.history === undefined;

  const pipeline = redis.pipeline();
  const pendingClaim = request.idempotency
    ? queueIdempotencyClaim(
        pipeline,
        tenant,
        request.idempotency,
        requestFingerprint([
          userId,
          request.conversationId,
          message,
          k,
          useMemory,
          memoryK,
          request.filter ?? null,
          request.vectorWeight ?? null,
        ]),
        runningSeconds(hooks.deadline),
      )
    : undefined;
  const readConversation = readStored
    ? queueConversationRead(pipeline, tenant, conversationId, config.chat.historyTurns)
    : undefined;
  const readSettings = queuePromptSettingsRead(pipeline, tenant);
  const kbPending = k > 0 ? index.prepare(pipeline, kbRef) : undefined;
  const memoryPending = useMemory ? index.prepare(pipeline, memoryRef) : undefined;

  // With an idempotency key the embedding waits for the claim, so a replay asks nothing
  // of the model provider; otherwise it overlaps the read. A turn that neither searches
  // nor remembers needs no vector at all.
  const needsVector = k > 0 || useMemory;
  const embed = () =>
    embedder
      .embed([message], { deadline: hooks.deadline, signal: hooks.signal })
      .then(([vector]) => vector as Float32Array);
  const replies = pendingClaim ? await claimedRead(redis, pipeline, pendingClaim) : undefined;
  const claim = replies?.claim;
  if (claim?.kind === 'replay') return replay(claim, hooks);

  try {
    const [allReplies, vector] = await Promise.all([
      replies?.replies ?? redisCall(() => pipeline.exec()),
      needsVector ? embed() : undefined,
    ]);
    const conversation = readConversation?.(allReplies);
    if (conversation && conversation.ownerId !== userId) {
      if (conversation.ownerId !== undefined || !request.createConversation) {
        throw new ConversationNotFoundError(conversationId);
      }
    }
    const settings = readSettings(allReplies);
    const [kbView, storedMemory] = await Promise.all([
      kbPending?.resolve(allReplies),
      memoryPending?.resolve(allReplies),
    ]);
    const memoryView = storedMemory
      ? await memoryFor(index, embedder, memoryRef, storedMemory)
      : undefined;
    const storedTurns = conversation?.turns ?? [];
    const history = request.history ?? storedTurns.flatMap(historyOf);
    // What the prompt already shows is not recalled again: the stored turns by id, a
    // caller's history (a Slack thread) by text.
    const shown = {
      ids: new Set(storedTurns.map((turn) => turn.messageId)),
      texts: new Set([
        message,
        ...history.filter((item) => item.role === 'user').map((item) => item.text),
      ]),
    };
    const query = vector && { text: message, vector, embedder: identityOf(embedder) };
    const [passages, memories] = await Promise.all([
      kbView && query ? searchPassages(kbView, query, k, request.filter, request.vectorWeight) : [],
      memoryView && query ? recall(memoryView, query, memoryK, shown) : [],
    ]);

    const messageId = newMessageId();
    const fence = newFence();
    const fitted = await fitContext(
      settings,
      { message, history: recentHistory(history, config.chat.historyTurns), memories, passages },
      fence,
      config.chat.contextTokens - config.chat.maxAnswerTokens,
      k > 0,
    );
    const meta: ChatTurnMeta = {
      conversationId,
      messageId,
      model: model.name,
      mode: model.mode,
      passages: fitted.context.passages.map(toCitation),
      memories: fitted.context.memories,
    };
    hooks.onMeta?.(meta);

    const answer = await model.answer({
      messages: assemblePrompt(fitted.parts),
      context: fitted.context,
      maxAnswerTokens: config.chat.maxAnswerTokens,
      deadline: hooks.deadline,
      signal: hooks.signal,
      onDelta: hooks.onDelta,
    });
    const result: ChatTurnResult = {
      conversationId,
      messageId,
      answer: answer.text,
      citations: citedPassages(answer.text, fitted.context.passages),
      memories: fitted.context.memories,
      model: answer.model,
      usage: answer.usage,
      mode: model.mode,
    };
    // The function has already answered 503 at its deadline: the caller retries, and a
    // write now would store the turn twice.
    hooks.signal?.throwIfAborted();
    await storeTurn(services, index, {
      request,
      result,
      meta,
      claim,
      vector,
      embedder,
      // A memory made by another embedder (too large to re-embed in a turn) cannot take
      // this vector: the message is not remembered.
      remember: useMemory && vector !== undefined && sameEmbedder(memoryView, embedder),
      title: titleOf(message),
    });
    return result;
  } catch (error) {
    if (claim?.kind === 'claimed') {
      await releaseClaim(redis, claim).catch((releaseError: unknown) =>
        logger.warn('idempotency key not released', { error: releaseError as Error }),
      );
    }
    throw error;
  }
}

interface TurnToStore {
  request: ChatTurnRequest;
  result: ChatTurnResult;
  meta: ChatTurnMeta;
  claim: Claim | undefined;
  vector: Float32Array | undefined;
  embedder: Embedder;
  remember: boolean;
  title: string;
}

/** The one write of a turn: conversation, memory entry and idempotency record together. */
async function storeTurn(
  { config, redis }: Pick<Services, 'config' | 'redis'>,
  index: KnowledgeIndex,
  { request, result, meta, claim, vector, embedder, remember, title }: TurnToStore,
): Promise<void> {
  const at = new Date().toISOString();
  const turn: StoredTurn = {
    messageId: result.messageId,
    user: { text: request.message, at },
    assistant: {
      text: result.answer,
      at,
      citations: result.citations,
      mode: result.mode,
      model: result.model,
      usage: result.usage,
    },
  };
  const transaction = redis.multi();
  const checkTurn = queueTurnWrite(transaction, {
    tenant: request.tenant,
    conversationId: result.conversationId,
    userId: request.userId,
    title,
    turn,
    mustExist: request.conversationId !== undefined && !request.createConversation,
    maxStoredTurns: config.chat.maxStoredTurns,
    retentionSeconds: config.chat.retentionDays * DAY_SECONDS,
    ...(claim?.kind === 'claimed'
      ? {
          idempotency: {
            redisKey: claim.redisKey,
            record: doneRecord(claim, result, meta),
            seconds: DAY_SECONDS,
          },
        }
      : {}),
  });
  const memoryRef = { tenant: request.tenant, namespace: memoryNamespace(request.userId) };
  const checkMemory =
    remember && vector
      ? index.queuePutDocument(
          transaction,
          memoryRef,
          {
            id: result.messageId,
            title,
            source: 'chat',
            contentHash: createHash('sha256').update(request.message).digest('hex'),
            metadata: { conversationId: result.conversationId, at },
          },
          [
            {
              text: request.message,
              headingPath: [],
              pageRange: null,
              offsets: { start: 0, end: request.message.length },
            },
          ],
          { embedder: identityOf(embedder), vectors: [vector] },
        )
      : undefined;
  const replies = await redisCall(() => transaction.exec());
  try {
    checkTurn(replies);
  } catch (error) {
    // A transaction does not roll back: the memory entry was written beside a turn that
    // was not, so it is taken out again.
    if (checkMemory) {
      checkMemory(replies);
      await index.deleteDocument(memoryRef, result.messageId);
    }
    throw error;
  }
  checkMemory?.(replies);
}

async function searchPassages(
  view: NamespaceView,
  query: { text: string; vector: Float32Array; embedder: { id: string; dimensions: number } },
  k: number,
  filter: SearchFilter | undefined,
  vectorWeight: number | undefined,
): Promise<Passage[]> {
  const hits = await view.search({
    ...queryFor(view, query),
    k,
    ...(filter ? { filter } : {}),
    ...(vectorWeight === undefined ? {} : { vectorWeight }),
  });
  return hits.map((hit, position) => ({
    n: position + 1,
    documentId: hit.documentId,
    title: hit.title,
    source: hit.source,
    headingPath: hit.headingPath,
    pageRange: hit.pageRange,
    text: hit.text,
    snippet: hit.snippet,
    score: hit.score,
  }));
}

/**
 * The user's memory as this embedder can search and extend it. After the platform's
 * embedder changed (a model key set, another model or dimension), a user's memory was
 * made by the old one: it is re-embedded once, on that user's next turn, when it is small
 * enough to do within a turn; a larger one is searched lexically and not extended (the
 * log says so) until it is re-embedded out of band.
 */
async function memoryFor(
  index: KnowledgeIndex,
  embedder: Embedder,
  ref: NamespaceRef,
  view: NamespaceView,
): Promise<NamespaceView> {
  if (sameEmbedder(view, embedder)) return view;
  if (view.chunkCount > MEMORY_REEMBED_MAX_CHUNKS) {
    logger.warn(
      "a user's memory was made by another embedder and is too large to re-embed in a turn",
      {
        tenant: ref.tenant,
        chunks: view.chunkCount,
        embedder: view.embedder?.id,
      },
    );
    return view;
  }
  try {
    await reembedNamespace(index, embedder, ref);
    return await index.view(ref);
  } catch (error) {
    if (!(error instanceof IndexWriteConflictError)) throw error;
    // Another turn of the same user re-embedded it first, or wrote: this one reads it as is.
    return view;
  }
}

/** The user's earlier messages most like this one, leaving out the turns already shown. */
async function recall(
  view: NamespaceView,
  query: { text: string; vector: Float32Array; embedder: { id: string; dimensions: number } },
  k: number,
  shown: { ids: ReadonlySet<string>; texts: ReadonlySet<string> },
): Promise<RecalledMemory[]> {
  if (k === 0) return [];
  const hits = await view.search({
    ...queryFor(view, query),
    k: k + shown.ids.size + shown.texts.size,
  });
  return hits
    .filter(
      (hit) =>
        !shown.ids.has(hit.documentId) && !shown.texts.has(hit.text) && isRelevantMemory(hit),
    )
    .slice(0, k)
    .map((hit) => ({
      messageId: hit.documentId,
      conversationId: hit.metadata.conversationId ?? '',
      text: hit.text,
      at: hit.metadata.at ?? '',
      score: hit.score,
    }));
}

function isRelevantMemory(hit: SearchHit): boolean {
  return (hit.lexicalScore ?? 0) > 0 || (hit.vectorScore ?? 0) >= MEMORY_MIN_VECTOR_SCORE;
}

/**
 * Hybrid when the namespace's vectors came from this embedder; lexical when another one
 * made them (the embedder was changed and the namespace not yet re-embedded), so a turn
 * still finds passages instead of failing.
 */
function queryFor(
  view: NamespaceView,
  query: { text: string; vector: Float32Array; embedder: { id: string; dimensions: number } },
) {
  if (view.embedder && !sameIdentity(view.embedder, query.embedder)) {
    return { text: query.text, mode: 'lexical' as const };
  }
  return { ...query, mode: 'hybrid' as const };
}

function sameEmbedder(view: NamespaceView | undefined, embedder: Embedder): boolean {
  return !view?.embedder || sameIdentity(view.embedder, identityOf(embedder));
}

function sameIdentity(
  a: { id: string; dimensions: number },
  b: { id: string; dimensions: number },
): boolean {
  return a.id === b.id && a.dimensions === b.dimensions;
}

function identityOf(embedder: Embedder): { id: string; dimensions: number } {
  return { id: embedder.id, dimensions: embedder.dimensions };
}

/** The last `turns` turns (two messages each) of a history; none for 0. */
function recentHistory(history: HistoryMessage[], turns: number): HistoryMessage[] {
  return turns === 0 ? [] : history.slice(-turns * 2);
}

function historyOf(turn: StoredTurn): HistoryMessage[] {
  return [
    { role: 'user', text: turn.user.text },
    { role: 'assistant', text: turn.assistant.text },
  ];
}

/** The first line of the first message, cut at a word near {@link TITLE_CHARACTERS}. */
function titleOf(message: string): string {
  const line = message.trim().split('\n', 1)[0]?.trim() ?? '';
  if (line.length <= TITLE_CHARACTERS) return line;
  const space = line.lastIndexOf(' ', TITLE_CHARACTERS);
  return space > TITLE_CHARACTERS / 2
    ? `${line.slice(0, space).trimEnd()}…`
    : cutText(line, TITLE_CHARACTERS);
}

/**
 * Runs the read pipeline that holds an idempotency claim. If the request failed, the
 * claim may or may not have been taken; it is freed (only if it is this request's), so
 * the caller's retry is not refused as still running.
 */
async function claimedRead(
  redis: Services['redis'],
  pipeline: Pipeline,
  pending: PendingClaim,
): Promise<{ replies: unknown[]; claim: Claim }> {
  let replies: unknown[];
  try {
    replies = await redisCall(() => pipeline.exec());
  } catch (error) {
    await releaseClaim(redis, pending.mine).catch(() => undefined);
    throw error;
  }
  return { replies, claim: pending.read(replies) };
}

function runningSeconds(deadline: number | undefined): number {
  if (deadline === undefined) return IDEMPOTENCY_RUNNING_SECONDS;
  return Math.max(1, Math.ceil((deadline - Date.now()) / 1000)) + IDEMPOTENCY_MARGIN_SECONDS;
}

/** A stored result, told through the same hooks as a fresh answer. */
function replay(
  { result, meta }: { result: ChatTurnResult; meta: ChatTurnMeta },
  hooks: ChatTurnHooks,
): ChatTurnResult {
  hooks.onMeta?.(meta);
  if (result.answer !== '') hooks.onDelta?.(result.answer);
  return result;
}
