import type { Pipeline } from '@upstash/redis';
import { type BulkReader, type Redis, redisCall } from '../../platform/redis/index.ts';
import {
  type ChunkEmbeddings,
  DocumentStore,
  type IndexQuotas,
  type PreparedDocument,
  prepareDocument,
  readPutReply,
} from './document-store.ts';
import {
  EmbedderMismatchError,
  IndexTooLargeError,
  InvalidIndexInputError,
  SnapshotTextGoneError,
} from './errors.ts';
import { defaultVectorWeight } from './fusion.ts';
import { assertNamespaceRef } from './keys.ts';
import {
  addFreshnessCheck,
  type ChangeSet,
  FRESHNESS_CHECK_COMMANDS,
  NamespaceReader,
  readFreshnessCheck,
} from './namespace-reader.ts';
import { type LoadedDocument, NamespaceSnapshot } from './namespace-snapshot.ts';
import { searchNamespace } from './rank.ts';
import { SnapshotStore, type SnapshotWriteOutcome } from './snapshot-store.ts';
import type {
  ChunkInput,
  DocumentInput,
  DocumentRecord,
  EmbedderIdentity,
  NamespaceRef,
  SearchHit,
  SearchQuery,
} from './types.ts';

export interface KnowledgeIndexOptions {
  /**
   * Most chunks kept in memory across all namespaces; the least recently used namespaces
   * are dropped beyond it (and reloaded when next searched). A namespace larger than this
   * on its own is refused with {@link IndexTooLargeError} before it is loaded.
   */
  maxCachedChunks?: number;
  /**
   * Namespaces kept in memory at most, whatever their size: a chat container meets one
   * memory namespace per user, most of them small or empty, which the chunk budget alone
   * would never evict.
   */
  maxCachedNamespaces?: number;
  /** Tenant-wide document and chunk quotas, enforced by the write scripts. */
  quotas?: IndexQuotas;
  /**
   * When this container writes a namespace's stored snapshot (what cold loads read):
   * for namespaces of at least `minChunks` chunks, when there is none or the change log
   * since it reached `rewriteAfter` entries. `false`: never (cold loads still read one).
   */
  snapshots?: { minChunks?: number; rewriteAfter?: number } | false;
  /** Reads snapshot segments faster than the client can (see `createBulkReader`). */
  bulkReader?: BulkReader;
}

/** A namespace as of the last freshness check: search it in memory. */
export interface NamespaceView {
  readonly version: number;
  readonly embedder: EmbedderIdentity | undefined;
  readonly documentCount: number;
  readonly chunkCount: number;
  /**
   * The vector share of hybrid fusion when a query sets none: the tenant's setting, else
   * the default for the namespace's embedder.
   */
  readonly vectorWeight: number;
  /**
   * Ranks chunks in memory. No Redis round trip, except right after a cold load: the
   * hits' text (and a metadata filter's) may still be in Redis, which one more round
   * trip reads while the rest follows in the background.
   */
  search(query: SearchQuery): Promise<SearchHit[]>;
}

/**
 * A freshness check queued in a caller's pipeline. After the pipeline has run, pass its
 * replies to `resolve` to get an up-to-date view.
 */
export interface PendingView {
  resolve(replies: readonly unknown[]): Promise<NamespaceView>;
}

const DEFAULT_MAX_CACHED_CHUNKS = 250_000;
const DEFAULT_MAX_CACHED_NAMESPACES = 5_000;
/** Below this a full load is about as fast as a snapshot (~0.15 s), so none is kept. */
const SNAPSHOT_MIN_CHUNKS = 2_000;
/**
 * Changes after which the snapshot is rewritten: a cold load then applies at most about
 * this many documents on top of it. Far below `LOG_RETENTION`, so the log still reaches
 * back to the snapshot when no container rewrites it for a while.
 */
export const SNAPSHOT_REWRITE_AFTER = 200;
/** A container retries a failed or refused snapshot write no sooner than this. */
const SNAPSHOT_RETRY_MS = 60_000;

/**
 * Exact hybrid search over chunks kept in plain Redis, with a per-container memory cache.
 * Create one per container (module scope) and reuse it across invocations.
 *
 * A warm search costs one round trip, which the caller can share: the index's freshness
 * check (the namespace's version and its change log since the cached version) goes into
 * the caller's pipeline. If another container wrote since, only the changed documents
 * are fetched; a full reload happens on a cold start, after a clear or re-embed, or when
 * the container fell more than the log's length behind.
 *
 * @example
 * ```ts
 * const index = new KnowledgeIndex(redis);
 * const pipeline = redis.pipeline();
 * pipeline.lrange(conversationKey, 0, -1); // the caller's own reads
 * const pending = index.prepare(pipeline, { tenant, namespace: 'kb' });
 * const replies = await pipeline.exec();
 * const view = await pending.resolve(replies);
 * const hits = await view.search({ text, vector, embedder, k: 8, mode: 'hybrid' });
 * ```
 */
export class KnowledgeIndex {
  private readonly redis: Redis;
  private readonly store: DocumentStore;
  private readonly reader: NamespaceReader;
  private readonly cache = new Map<string, NamespaceSnapshot>();
  private readonly loading = new Map<string, Promise<NamespaceSnapshot>>();
  private readonly maxCachedChunks: number;
  private readonly maxCachedNamespaces: number;
  private readonly snapshots: SnapshotStore;
  private readonly snapshotPolicy: { minChunks: number; rewriteAfter: number } | undefined;
  private readonly snapshotWrites = new Map<string, Promise<unknown>>();
  private readonly textLoads = new Set<Promise<void>>();
  private readonly snapshotAttempts = new Map<string, number>();
  /** Namespaces whose snapshot a load found unusable (log trimmed, torn): rewrite at once. */
  private readonly unusableSnapshots = new Set<string>();

  constructor(redis: Redis, options: KnowledgeIndexOptions = {}) {
    this.store = new DocumentStore(redis, options.quotas);
    this.reader = new NamespaceReader(redis);
    this.snapshots = new SnapshotStore(redis, options.bulkReader);
    this.snapshotPolicy =
      options.snapshots === false
        ? undefined
        : {
            minChunks: options.snapshots?.minChunks ?? SNAPSHOT_MIN_CHUNKS,
            rewriteAfter: options.snapshots?.rewriteAfter ?? SNAPSHOT_REWRITE_AFTER,
          };
    this.maxCachedChunks = options.maxCachedChunks ?? DEFAULT_MAX_CACHED_CHUNKS;
    this.maxCachedNamespaces = options.maxCachedNamespaces ?? DEFAULT_MAX_CACHED_NAMESPACES;
    this.redis = redis;
  }

  /** Queues this namespace's freshness check (two commands) in the caller's pipeline. */
  prepare(pipeline: Pipeline, ref: NamespaceRef): PendingView {
    assertNamespaceRef(ref);
    const cached = this.cache.get(cacheKey(ref));
    const offset = pipeline.length();
    addFreshnessCheck(pipeline, ref, cached?.version);
    return {
      resolve: async (replies) => {
        const own = replies.slice(offset, offset + FRESHNESS_CHECK_COMMANDS);
        const changes = readFreshnessCheck(own, cached?.version ?? 0);
        const snapshot = await this.refresh(ref, cached, changes);
        this.considerSnapshot(ref, snapshot, changes.snapshotVersion);
        return viewOf(ref, snapshot, changes.vectorWeight, {
          reload: async () => {
            // The snapshot its text was to come from was replaced: load the namespace again.
            if (this.cache.get(cacheKey(ref)) === snapshot) this.cache.delete(cacheKey(ref));
            return this.view(ref);
          },
          searched: () => {
            // The text a cold load left in Redis follows once the first search has its
            // hits' blocks (so it does not queue behind the whole text); then the
            // namespace no longer needs the snapshot, which a newer one may replace.
            if (!snapshot.textLoaded) this.track(snapshot.loadAllText().catch(() => undefined));
          },
        });
      },
    };
  }

  /** An up-to-date view of a namespace, checked with one round trip of its own. */
  async view(ref: NamespaceRef): Promise<NamespaceView> {
    const pipeline = this.redis.pipeline();
    const pending = this.prepare(pipeline, ref);
    const replies = await redisCall(() => pipeline.exec());
    return pending.resolve(replies);
  }

  /**
   * Writes the namespace's stored snapshot now, from an up-to-date view of it, and
   * says whether it was flipped in (see {@link SnapshotWriteOutcome}). Searches do this
   * on their own when the snapshot is missing or stale; this is for tests and operators.
   */
  async writeSnapshot(ref: NamespaceRef): Promise<SnapshotWriteOutcome> {
    await this.view(ref);
    const snapshot = this.cache.get(cacheKey(ref)) as NamespaceSnapshot;
    return this.snapshots.write(ref, snapshot);
  }

  /** Whether the namespace has a stored snapshot (which may still hold deleted documents). */
  async hasSnapshot(ref: NamespaceRef): Promise<boolean> {
    assertNamespaceRef(ref);
    return (await this.snapshots.pointer(ref)) !== undefined;
  }

  /** Resolves once the snapshot writes this container started in the background are done. */
  async snapshotWritesSettled(): Promise<void> {
    await Promise.all([...this.snapshotWrites.values()]);
  }

  /** Resolves once the text that cold loads left in Redis is in memory (or failed to come). */
  async textLoadsSettled(): Promise<void> {
    await Promise.all([...this.textLoads]);
  }

  private track(load: Promise<void>): void {
    this.textLoads.add(load);
    load.finally(() => this.textLoads.delete(load));
  }

  /** Cached namespaces (`tenant/namespace`), least recently used first. */
  cachedNamespaces(): string[] {
    return [...this.cache.keys()];
  }

  /** Searches a namespace: {@link view} then {@link NamespaceView.search}. */
  async search(ref: NamespaceRef, query: SearchQuery): Promise<SearchHit[]> {
    return (await this.view(ref)).search(query);
  }

  /**
   * Indexes a document's chunks with their vectors, replacing any earlier version of the
   * same id atomically. Throws {@link EmbedderMismatchError} if the namespace was built
   * by another embedder or dimension.
   */
  async putDocument(
    ref: NamespaceRef,
    document: DocumentInput,
    chunks: readonly ChunkInput[],
    embeddings: ChunkEmbeddings,
  ): Promise<DocumentRecord> {
    assertNamespaceRef(ref);
    const prepared = prepareDocument(document, chunks, embeddings);
    const cached = this.cache.get(cacheKey(ref));
    if (cached?.embedder) assertSameEmbedder(ref, cached.embedder, embeddings.embedder);
    const version = await this.store.put(ref, prepared);
    this.applyOwnWrite(ref, version, prepared.loaded.record.id, (snapshot) =>
      snapshot.upsert(prepared.loaded),
    );
    return prepared.loaded.record;
  }

  /**
   * Queues a small document's put (one that fits in one request, such as a memory entry)
   * in the caller's transaction, e.g. the `redis.multi()` that stores a chat turn, so
   * both land in one atomic round trip. After `exec()`, pass the replies to the returned
   * function: it throws what {@link putDocument} would have thrown and updates this
   * container's cache.
   *
   * @example
   * ```ts
   * const tx = redis.multi();
   * tx.rpush(turnsKey, userTurn, assistantTurn);
   * const done = index.queuePutDocument(tx, memoryRef, entry, [chunk], embeddings);
   * done(await tx.exec());
   * ```
   */
  queuePutDocument(
    transaction: Pipeline,
    ref: NamespaceRef,
    document: DocumentInput,
    chunks: readonly ChunkInput[],
    embeddings: ChunkEmbeddings,
  ): (replies: readonly unknown[]) => DocumentRecord {
    assertNamespaceRef(ref);
    const prepared = prepareDocument(document, chunks, embeddings);
    const position = this.store.queuePut(transaction, ref, prepared);
    return (replies) => {
      const version = readPutReply(replies[position], ref, prepared);
      this.applyOwnWrite(ref, version, prepared.loaded.record.id, (snapshot) =>
        snapshot.upsert(prepared.loaded),
      );
      return prepared.loaded.record;
    };
  }

  /** Deletes a document; false if there was none. Searches after this never return it. */
  async deleteDocument(ref: NamespaceRef, documentId: string): Promise<boolean> {
    assertNamespaceRef(ref);
    const version = await this.store.delete(ref, documentId);
    if (version === undefined) return false;
    this.applyOwnWrite(ref, version, documentId, (snapshot) => snapshot.remove(documentId));
    return true;
  }

  async getDocument(ref: NamespaceRef, documentId: string): Promise<DocumentRecord | null> {
    return this.store.getRecord(ref, documentId);
  }

  async listDocuments(ref: NamespaceRef): Promise<DocumentRecord[]> {
    return this.store.listRecords(ref);
  }

  /** The document with exactly this content hash, so ingestion can skip re-embedding it. */
  async findByContentHash(ref: NamespaceRef, contentHash: string): Promise<DocumentRecord | null> {
    return this.store.findByContentHash(ref, contentHash);
  }

  /**
   * Removes every document of a namespace and forgets its embedder, atomically; retried
   * if writes race it. Returns how many documents were removed.
   */
  async clearNamespace(ref: NamespaceRef): Promise<number> {
    assertNamespaceRef(ref);
    for (let attempt = 0; ; attempt += 1) {
      const state = await this.store.readState(ref);
      try {
        await this.store.replaceAll(ref, state.version, state.ids, [], undefined);
        this.cache.delete(cacheKey(ref));
        return state.ids.length;
      } catch (error) {
        if (attempt >= 4 || !(error instanceof Error && error.name === 'IndexWriteConflictError')) {
          throw error;
        }
      }
    }
  }

  /**
   * Rewrites every document of a namespace with new vectors in one atomic flip (used by
   * re-embedding). `documents` must cover exactly the ids present at `expectedVersion`.
   */
  async replaceNamespace(
    ref: NamespaceRef,
    expectedVersion: number,
    currentIds: readonly string[],
    documents: readonly PreparedDocument[],
    embedder: EmbedderIdentity,
  ): Promise<void> {
    assertNamespaceRef(ref);
    await this.store.replaceAll(ref, expectedVersion, currentIds, documents, embedder);
    this.cache.delete(cacheKey(ref));
  }

  /** The loaded documents of a namespace, freshly loaded (for re-embedding and export). */
  async loadDocuments(
    ref: NamespaceRef,
  ): Promise<{ version: number; documents: LoadedDocument[] }> {
    const snapshot = await this.reader.loadAll(ref);
    return { version: snapshot.version, documents: snapshot.documents() };
  }

  private async refresh(
    ref: NamespaceRef,
    cached: NamespaceSnapshot | undefined,
    changes: ChangeSet,
  ): Promise<NamespaceSnapshot> {
    const key = cacheKey(ref);
    // Refused before any chunk is fetched: loading it would only push the function out
    // of memory (or evict every other namespace and then fail anyway).
    this.assertFits(ref, changes.chunkCount);
    const current = this.cache.get(key);
    // Another refresh may have moved the cache past what this check saw.
    if (current && current !== cached && current.version >= changes.version)
      return this.touch(key, current);
    if (cached && changes.kind === 'current') return this.touch(key, cached);
    // Version 0: nothing was ever written (a new user's memory), so there is nothing to load.
    if (!current && changes.version === 0) {
      return this.touch(key, new NamespaceSnapshot(0, 0, undefined));
    }
    if (cached && changes.kind === 'changes') {
      const documents = await this.reader.fetchDocuments(ref, changes.documentIds);
      // While this fetch was in flight, an overlapping refresh or this container's own write
      // may have brought the cache to this version or past it; these documents can then
      // be older than what it holds (a deleted one would come back), so they are dropped.
      const latest = this.cache.get(key) ?? cached;
      if (latest.version >= changes.version) return this.touch(key, latest);
      if (latest !== cached) return this.loadOnce(ref, changes.snapshotVersion > 0);
      const applied = await applyDocuments(cached, documents, changes.version).catch(
        (error: unknown) => {
          if (error instanceof SnapshotTextGoneError) return false;
          throw error;
        },
      );
      if (!applied) {
        // Moved on while the replaced documents' text was read, or that text is gone.
        if (this.cache.get(key) === cached) this.cache.delete(key);
        return this.loadOnce(ref, changes.snapshotVersion > 0);
      }
      return this.touch(key, cached);
    }
    return this.loadOnce(ref, changes.snapshotVersion > 0);
  }

  /** Loads a namespace afresh, once however many searches ask at the same time. */
  private loadOnce(ref: NamespaceRef, hasSnapshot: boolean): Promise<NamespaceSnapshot> {
    const key = cacheKey(ref);
    const inFlight = this.loading.get(key);
    if (inFlight) return inFlight;
    const load = this.loadFresh(ref, hasSnapshot)
      .then((snapshot) => {
        // The counter can trail a namespace written before it existed; the load cannot.
        this.assertFits(ref, snapshot.chunkCount);
        return this.touch(key, snapshot);
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, load);
    return load;
  }

  /**
   * A cold load: the stored snapshot with the changes since it applied as a warm
   * container applies them, or, without a usable snapshot, every document.
   */
  private async loadFresh(
    ref: NamespaceRef,
    hasSnapshot: boolean,
    attempt = 0,
  ): Promise<NamespaceSnapshot> {
    // Most namespaces are too small to have a snapshot: no round trip to look for one.
    const stored = hasSnapshot ? await this.snapshots.read(ref) : undefined;
    if (hasSnapshot && !stored) this.unusableSnapshots.add(cacheKey(ref));
    if (!stored) return this.reader.loadAll(ref);
    const { snapshot, changes } = stored;
    const documents =
      changes.kind === 'changes'
        ? await this.reader.fetchDocuments(ref, changes.documentIds)
        : new Map<string, LoadedDocument | undefined>();
    try {
      await applyDocuments(snapshot, documents, changes.version);
    } catch (error) {
      // Replaced mid-load: read the newer snapshot (once), else every document.
      if (!(error instanceof SnapshotTextGoneError)) throw error;
      return attempt < 1 ? this.loadFresh(ref, hasSnapshot, attempt + 1) : this.reader.loadAll(ref);
    }
    return snapshot;
  }

  /**
   * Starts a background rewrite of the namespace's stored snapshot when it has none, the
   * log since it grew past the threshold, or a cold load could not use it. Not awaited: the search that noticed
   * answers at once. A write that fails or is refused leaves the old snapshot in place;
   * another is tried after `SNAPSHOT_RETRY_MS`, and Redis's claim keeps containers from
   * writing the same namespace at once.
   */
  private considerSnapshot(
    ref: NamespaceRef,
    snapshot: NamespaceSnapshot,
    snapshotVersion: number,
  ): void {
    const policy = this.snapshotPolicy;
    const key = cacheKey(ref);
    const unusable = this.unusableSnapshots.delete(key);
    if (!policy || snapshot.chunkCount < policy.minChunks) return;
    const recent = snapshotVersion > 0 && snapshot.version - snapshotVersion < policy.rewriteAfter;
    if (recent && !unusable) return;
    const failedAt = this.snapshotAttempts.get(key) ?? 0;
    if (this.snapshotWrites.has(key) || Date.now() - failedAt < SNAPSHOT_RETRY_MS) return;
    const write = this.snapshots
      .write(ref, snapshot)
      // A failed write changes nothing readers use; the next attempt starts over.
      .catch(() => 'failed')
      .then((outcome) => {
        if (outcome === 'written') this.snapshotAttempts.delete(key);
        else this.snapshotAttempts.set(key, Date.now());
      })
      .finally(() => this.snapshotWrites.delete(key));
    this.snapshotWrites.set(key, write);
  }

  private assertFits(ref: NamespaceRef, chunkCount: number): void {
    if (chunkCount > this.maxCachedChunks) {
      this.cache.delete(cacheKey(ref));
      throw new IndexTooLargeError(ref.namespace, chunkCount, this.maxCachedChunks);
    }
  }

  /**
   * Applies this container's own write to its cache when nothing else came in between.
   * When the document it replaces or deletes still has text in Redis (right after a cold
   * load), the cache is left as it is: the next freshness check fetches the change from
   * the log and applies it as another container's write, which can wait for that text.
   */
  private applyOwnWrite(
    ref: NamespaceRef,
    version: number,
    documentId: string,
    apply: (snapshot: NamespaceSnapshot) => void,
  ): void {
    const cached = this.cache.get(cacheKey(ref));
    if (!cached || cached.version !== version - 1 || !cached.hasTextOf(documentId)) return;
    apply(cached);
    cached.version = version;
  }

  /**
   * Marks a namespace most recently used and evicts the least recently used beyond the
   * chunk budget or the namespace count.
   */
  private touch(key: string, snapshot: NamespaceSnapshot): NamespaceSnapshot {
    this.cache.delete(key);
    this.cache.set(key, snapshot);
    let total = 0;
    for (const entry of this.cache.values()) total += entry.chunkCount;
    for (const [otherKey, other] of this.cache) {
      const over = total > this.maxCachedChunks || this.cache.size > this.maxCachedNamespaces;
      if (!over || otherKey === key) break;
      this.cache.delete(otherKey);
      total -= other.chunkCount;
    }
    return snapshot;
  }
}

/**
 * Applies documents fetched after a change log entry (`undefined`: deleted) and moves to
 * `version`, after loading the text of those it replaces. False, with nothing applied,
 * when the namespace moved on while that text was read.
 */
async function applyDocuments(
  snapshot: NamespaceSnapshot,
  documents: ReadonlyMap<string, LoadedDocument | undefined>,
  version: number,
): Promise<boolean> {
  const before = snapshot.version;
  await snapshot.loadDocumentText(documents.keys());
  if (snapshot.version !== before) return false;
  for (const [id, document] of documents) {
    if (document) snapshot.upsert(document);
    else snapshot.remove(id);
  }
  snapshot.version = Math.max(snapshot.version, version);
  return true;
}

function viewOf(
  ref: NamespaceRef,
  snapshot: NamespaceSnapshot,
  tenantVectorWeight: number | undefined,
  hooks: { reload(): Promise<NamespaceView>; searched(): void },
): NamespaceView {
  const vectorWeight = tenantVectorWeight ?? defaultVectorWeight(snapshot.embedder?.id);
  return {
    version: snapshot.version,
    embedder: snapshot.embedder,
    documentCount: snapshot.documentCount,
    chunkCount: snapshot.chunkCount,
    vectorWeight,
    search: async (query) => {
      validateQuery(query);
      if (snapshot.chunkCount === 0) return [];
      if (query.mode !== 'lexical' && snapshot.embedder) {
        const actual = query.embedder ?? {
          id: snapshot.embedder.id,
          dimensions: query.vector?.length ?? 0,
        };
        assertSameEmbedder(ref, snapshot.embedder, actual);
      }
      const weighted = { ...query, vectorWeight: query.vectorWeight ?? vectorWeight };
      try {
        const hits = await searchNamespace(snapshot, weighted);
        hooks.searched();
        return hits;
      } catch (error) {
        if (!(error instanceof SnapshotTextGoneError)) throw error;
        // Each reload reads the snapshot that replaced this one, so this ends.
        const fresh = await hooks.reload();
        return fresh.search(weighted);
      }
    },
  };
}

function cacheKey(ref: NamespaceRef): string {
  return `${ref.tenant}/${ref.namespace}`;
}

function assertSameEmbedder(
  ref: NamespaceRef,
  expected: EmbedderIdentity,
  actual: EmbedderIdentity,
): void {
  if (expected.id !== actual.id || expected.dimensions !== actual.dimensions) {
    throw new EmbedderMismatchError(ref.namespace, expected, actual);
  }
}

function validateQuery(query: SearchQuery): void {
  if (!Number.isInteger(query.k) || query.k < 1) {
    throw new InvalidIndexInputError('k must be a positive integer.');
  }
  const weight = query.vectorWeight;
  if (weight !== undefined && !(weight >= 0 && weight <= 1)) {
    throw new InvalidIndexInputError('vectorWeight must be between 0 and 1.');
  }
  if (query.mode !== 'lexical' && !query.vector) {
    throw new InvalidIndexInputError(`A ${query.mode} search needs the query's vector.`);
  }
}
