import { randomBytes } from 'node:crypto';
import type { Pipeline } from '@upstash/redis';
import { QuotaExceededError, type QuotaName } from '../../platform/quotas/errors.ts';
import type { Redis } from '../../platform/redis/index.ts';
import { redisCall } from '../../platform/redis/index.ts';
import {
  EmbedderMismatchError,
  IndexWriteConflictError,
  InvalidIndexInputError,
} from './errors.ts';
import { assertDocumentId, isKnowledgeBase, type NamespaceKeys, namespaceKeys } from './keys.ts';
import { DELETE_DOCUMENT, PUT_DOCUMENT, REPLACE_NAMESPACE } from './lua-scripts.ts';
import type { LoadedDocument } from './namespace-snapshot.ts';
import { type SnapshotPointer, SnapshotStore, segmentKeys } from './snapshot-store.ts';
import { encodeParts, formatLayout } from './stored-document.ts';
import type {
  ChunkInput,
  DocumentInput,
  DocumentRecord,
  EmbedderIdentity,
  NamespaceRef,
  StoredChunk,
} from './types.ts';
import { quantize } from './vector-codec.ts';

/**
 * Entries kept in a namespace's change log; a reader further behind reloads in full. A
 * cold load applies the log since the stored snapshot, which searches rewrite every
 * `SNAPSHOT_REWRITE_AFTER` (200) changes, so this leaves five times that for writes that
 * arrive while no container searches the namespace. Not longer: a reader fetches every
 * document the log names in one request.
 */
export const LOG_RETENTION = 1000;
/** Staged parts of an interrupted multi-request write expire after this long. */
const STAGE_TTL_SECONDS = 3600;

/** A document ready to write: validated, quantised and split into stored parts. */
export interface PreparedDocument {
  loaded: LoadedDocument;
  parts: string[];
  /** Identifies this write and its part count (see `formatLayout`). */
  layout: string;
}

/** Caps on a tenant's knowledge base the write scripts enforce; 0 or absent means none. */
export interface IndexQuotas {
  maxDocuments?: number;
  maxChunks?: number;
}

/** Vectors for a document's chunks, one per chunk, and the embedder that made them. */
export interface ChunkEmbeddings {
  embedder: EmbedderIdentity;
  vectors: readonly Float32Array[];
}

/** Validates a document and its chunks and encodes them for storage. */
export function prepareDocument(
  document: DocumentInput,
  chunks: readonly ChunkInput[],
  embeddings: ChunkEmbeddings,
  now = new Date(),
): PreparedDocument {
  assertDocumentId(document.id);
  const { embedder, vectors } = embeddings;
  if (chunks.length === 0) throw new InvalidIndexInputError('A document needs at least one chunk.');
  if (vectors.length !== chunks.length) {
    throw new InvalidIndexInputError(`${vectors.length} vectors for ${chunks.length} chunks.`);
  }
  if (vectors.some((vector) => vector.length !== embedder.dimensions)) {
    throw new InvalidIndexInputError(`Every vector must have ${embedder.dimensions} values.`);
  }
  const stored: StoredChunk[] = chunks.map((chunk, ordinal) => ({
    ordinal,
    text: chunk.text,
    headingPath: chunk.headingPath,
    pageRange: chunk.pageRange,
    offsets: chunk.offsets,
    metadata: chunk.metadata ?? {},
  }));
  const record: DocumentRecord = {
    id: document.id,
    title: document.title,
    source: document.source,
    contentHash: document.contentHash,
    ...(document.fileSha256 ? { fileSha256: document.fileSha256 } : {}),
    metadata: document.metadata ?? {},
    chunkCount: stored.length,
    embedder: embedder.id,
    dimensions: embedder.dimensions,
    indexedAt: now.toISOString(),
  };
  const quantized = quantize(vectors, embedder.dimensions);
  const parts = encodeParts(stored, quantized, embedder.dimensions);
  return {
    loaded: { record, chunks: stored, vectors: quantized },
    parts,
    layout: formatLayout(randomBytes(6).toString('hex'), parts.length),
  };
}

/**
 * The index's writes and record reads in Redis. Each write is one atomic Lua script;
 * a document too large for one request is staged in parts first and flipped in by the
 * script, so readers never see half of it.
 */
export class DocumentStore {
  private readonly redis: Redis;
  private readonly putScript;
  private readonly deleteScript;
  private readonly replaceScript;
  private readonly quotas: IndexQuotas;
  private readonly snapshots: SnapshotStore;

  constructor(redis: Redis, quotas: IndexQuotas = {}) {
    this.redis = redis;
    this.snapshots = new SnapshotStore(redis);
    this.quotas = quotas;
    this.putScript = redis.createScript<unknown[]>(PUT_DOCUMENT);
    this.deleteScript = redis.createScript<number>(DELETE_DOCUMENT);
    this.replaceScript = redis.createScript<unknown[]>(REPLACE_NAMESPACE);
  }

  /** Writes a prepared document, replacing any earlier version; returns the new version. */
  async put(ref: NamespaceRef, prepared: PreparedDocument): Promise<number> {
    const stagedParts = prepared.parts.length > 1 ? prepared.parts.slice(0, -1) : [];
    const { keys, args } = putCommand(ref, prepared, stagedParts.length, this.quotas);
    await this.stage(keys[6] as string, stagedParts);
    const reply = await redisCall(() => this.putScript.exec(keys, args));
    return readPutReply(reply, ref, prepared);
  }

  /**
   * Adds a one-part document's put to the caller's transaction or pipeline, so it shares
   * the caller's round trip (a chat turn's single write). Pass the reply at the returned
   * index to {@link readPutReply}.
   */
  queuePut(transaction: Pipeline, ref: NamespaceRef, prepared: PreparedDocument): number {
    if (prepared.parts.length > 1) {
      throw new InvalidIndexInputError(
        'A document queued in a transaction must fit in one request; use putDocument instead.',
      );
    }
    const { keys, args } = putCommand(ref, prepared, 0, this.quotas);
    const index = transaction.length();
    // EVAL, not EVALSHA: a transaction cannot fall back if the script is not cached.
    transaction.eval(PUT_DOCUMENT, keys, args);
    return index;
  }

  /** Deletes a document; returns the new version, or `undefined` if it did not exist. */
  async delete(ref: NamespaceRef, documentId: string): Promise<number | undefined> {
    assertDocumentId(documentId);
    const keys = namespaceKeys(ref);
    const version = await redisCall(() =>
      this.deleteScript.exec(
        [
          keys.version,
          keys.log,
          keys.documents,
          keys.hashes,
          keys.document(documentId),
          keys.meta,
          keys.usage,
        ],
        [documentId, String(LOG_RETENTION)],
      ),
    );
    return Number(version) > 0 ? Number(version) : undefined;
  }

  /**
   * Replaces every document of the namespace at once (a clear when `documents` is empty,
   * a re-embed otherwise). Fails with {@link IndexWriteConflictError} if any write landed
   * after `expectedVersion`.
   */
  async replaceAll(
    ref: NamespaceRef,
    expectedVersion: number,
    currentIds: readonly string[],
    documents: readonly PreparedDocument[],
    embedder: EmbedderIdentity | undefined,
  ): Promise<number> {
    const keys = namespaceKeys(ref);
    const writeId = randomBytes(6).toString('hex');
    const stageKeys = documents.map(({ loaded }) => keys.stage(loaded.record.id, writeId));
    for (const [index, document] of documents.entries()) {
      await this.stage(stageKeys[index] as string, document.parts);
    }
    // The stored snapshot goes with the documents; a snapshot flipped in between the
    // pointer's read and the script is seen by the script, and the pointer read again.
    for (let attempt = 0; ; attempt += 1) {
      const snapshot = await this.snapshots.pointer(ref);
      const reply = await this.replaceOnce(
        ref,
        expectedVersion,
        currentIds,
        documents,
        embedder,
        stageKeys,
        snapshot,
      );
      if ((reply as unknown[])[0] !== 'snapshot_moved' || attempt >= 2) {
        return expectVersion(reply, ref, embedder);
      }
    }
  }

  private replaceOnce(
    ref: NamespaceRef,
    expectedVersion: number,
    currentIds: readonly string[],
    documents: readonly PreparedDocument[],
    embedder: EmbedderIdentity | undefined,
    stageKeys: readonly string[],
    snapshot: SnapshotPointer | undefined,
  ): Promise<unknown> {
    const keys = namespaceKeys(ref);
    return redisCall(() =>
      this.replaceScript.exec(
        [
          keys.meta,
          keys.version,
          keys.log,
          keys.documents,
          keys.hashes,
          keys.usage,
          ...currentIds.map((id) => keys.document(id)),
          ...documents.flatMap(({ loaded }, index) => [
            stageKeys[index] as string,
            keys.document(loaded.record.id),
          ]),
          keys.snapshot,
          ...segmentKeys(ref, snapshot),
        ],
        [
          String(expectedVersion),
          String(LOG_RETENTION),
          embedder?.id ?? '',
          String(embedder?.dimensions ?? ''),
          String(currentIds.length),
          String(documents.length),
          ...documents.flatMap(({ loaded, parts, layout }) => [
            loaded.record.id,
            JSON.stringify(loaded.record),
            loaded.record.contentHash,
            String(parts.length),
            layout,
          ]),
          snapshot?.generation ?? '',
          String(snapshot?.segments ?? 0),
        ],
      ),
    );
  }

  async getRecord(ref: NamespaceRef, documentId: string): Promise<DocumentRecord | null> {
    assertDocumentId(documentId);
    const json = await redisCall(() =>
      this.redis.hget<string>(namespaceKeys(ref).documents, documentId),
    );
    return json ? (JSON.parse(json) as DocumentRecord) : null;
  }

  async listRecords(ref: NamespaceRef): Promise<DocumentRecord[]> {
    const reply = await redisCall(() => this.redis.hvals(namespaceKeys(ref).documents));
    return (reply as string[])
      .map((json) => JSON.parse(json) as DocumentRecord)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The document holding exactly this content, if any. */
  async findByContentHash(ref: NamespaceRef, contentHash: string): Promise<DocumentRecord | null> {
    const keys = namespaceKeys(ref);
    const id = await redisCall(() => this.redis.hget<string>(keys.hashes, contentHash));
    return id ? this.getRecord(ref, id) : null;
  }

  /** The namespace's version and document ids, read together in one transaction. */
  async readState(
    ref: NamespaceRef,
  ): Promise<{ version: number; ids: string[]; keys: NamespaceKeys }> {
    const keys = namespaceKeys(ref);
    const [version, ids] = await redisCall(() =>
      this.redis.multi().get(keys.version).hkeys(keys.documents).exec<[string | null, string[]]>(),
    );
    return { version: Number(version ?? 0), ids, keys };
  }

  private async stage(stageKey: string, parts: readonly string[]): Promise<void> {
    for (const [index, part] of parts.entries()) {
      await redisCall(() =>
        this.redis
          .pipeline()
          .hset(stageKey, { [`p${index}`]: part })
          .expire(stageKey, STAGE_TTL_SECONDS)
          .exec(),
      );
    }
  }
}

function putCommand(
  ref: NamespaceRef,
  prepared: PreparedDocument,
  stagedCount: number,
  quotas: IndexQuotas,
): { keys: string[]; args: string[] } {
  const keys = namespaceKeys(ref);
  const { record } = prepared.loaded;
  return {
    keys: [
      keys.meta,
      keys.version,
      keys.log,
      keys.documents,
      keys.hashes,
      keys.document(record.id),
      keys.stage(record.id, randomBytes(6).toString('hex')),
      keys.usage,
    ],
    args: [
      record.embedder,
      String(record.dimensions),
      record.id,
      JSON.stringify(record),
      record.contentHash,
      String(stagedCount),
      String(LOG_RETENTION),
      prepared.layout,
      // Memory entries are chat turns, not documents: TENANT_MAX_* cap the knowledge base.
      String(isKnowledgeBase(ref) ? (quotas.maxDocuments ?? 0) : 0),
      String(isKnowledgeBase(ref) ? (quotas.maxChunks ?? 0) : 0),
      ...prepared.parts.slice(stagedCount),
    ],
  };
}

/** The new version from a put's reply, or the error it stands for. */
export function readPutReply(
  reply: unknown,
  ref: NamespaceRef,
  prepared: PreparedDocument,
): number {
  const { record } = prepared.loaded;
  return expectVersion(reply, ref, { id: record.embedder, dimensions: record.dimensions });
}

function expectVersion(
  reply: unknown,
  ref: NamespaceRef,
  embedder: EmbedderIdentity | undefined,
): number {
  const [status, ...rest] = reply as unknown[];
  if (status === 'ok') return Number(rest[0]);
  if (status === 'mismatch' && embedder) {
    throw new EmbedderMismatchError(
      ref.namespace,
      { id: String(rest[0]), dimensions: Number(rest[1]) },
      embedder,
    );
  }
  if (status === 'quota') throw new QuotaExceededError(rest[0] as QuotaName, Number(rest[1]));
  if (status === 'conflict' || status === 'snapshot_moved') {
    throw new IndexWriteConflictError(
      `Namespace "${ref.namespace}" changed while it was being replaced; nothing was written.`,
    );
  }
  throw new IndexWriteConflictError(
    `A staged write to namespace "${ref.namespace}" expired before it completed; nothing was written.`,
  );
}
