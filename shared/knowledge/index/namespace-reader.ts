import type { Pipeline } from '@upstash/redis';
import { greedyBatches } from '../../platform/batching/greedy-batches.ts';
import { hashReply, type Redis, redisCall } from '../../platform/redis/index.ts';
import { tenantKeys } from '../../platform/tenancy/index.ts';
import { IndexWriteConflictError } from './errors.ts';
import { parseVectorWeight } from './fusion.ts';
import { namespaceKeys } from './keys.ts';
import { type LoadedDocument, NamespaceSnapshot } from './namespace-snapshot.ts';
import { decodeDocument, partCount } from './stored-document.ts';
import type { DocumentRecord, EmbedderIdentity, NamespaceRef } from './types.ts';

/** Chunks fetched per request during a full load (a few MB of reply at most). */
const LOAD_BATCH_CHUNKS = 1000;
/** A document's first part holds at most about this many chunks of typical size. */
const FIRST_PART_CHUNKS = 300;
/** Parts (at most 512 KB each) fetched per request beyond a document's first. */
const PARTS_PER_REQUEST = 6;
/** Load requests in flight at once. */
const LOAD_CONCURRENCY = 4;

/** What changed in a namespace since a known version, from its change log. */
export type ChangeSet = (
  | { kind: 'current'; version: number }
  | { kind: 'changes'; version: number; documentIds: string[] }
  | { kind: 'reload'; version: number }
) & {
  /** Live chunks in the namespace, from the counter the write scripts keep (0 if none). */
  chunkCount: number;
  /** The version the namespace's stored snapshot covers (0 if it has none). */
  snapshotVersion: number;
  /** The tenant's hybrid fusion weight, when it set one. */
  vectorWeight: number | undefined;
};

/**
 * One script: the namespace's version, its chunk counter (so a namespace too large to
 * hold is refused before loading), the version its stored snapshot covers (so a stale
 * one gets rewritten), the tenant's fusion weight and, only when the version moved, the
 * change log since. A caller holding nothing gets no log: it loads the snapshot or
 * everything anyway. One command where five plain ones would do, since Upstash bills per
 * command. KEYS: version, log, meta, snapshot, the tenant's search settings.
 * ARGV: the version the caller holds, '1' if it holds nothing.
 */
const FRESHNESS_CHECK = `
local version = redis.call('GET', KEYS[1])
local chunks = redis.call('HGET', KEYS[3], 'chunks')
local snapshot = redis.call('HGET', KEYS[4], 'version')
local entries = {}
if version and ARGV[2] ~= '1' and tonumber(version) > tonumber(ARGV[1]) then
  entries = redis.call('ZRANGE', KEYS[2], '(' .. ARGV[1], '+inf', 'BYSCORE')
end
local weight = redis.call('HGET', KEYS[5], 'vectorWeight')
return {version or false, chunks or false, entries, snapshot or false, weight or false}
`;

/**
 * Adds a namespace's freshness check to a pipeline; read its reply with
 * {@link readFreshnessCheck}. `since` is the version held, `undefined` when none is.
 */
export function addFreshnessCheck(
  pipeline: Pipeline,
  ref: NamespaceRef,
  since: number | undefined,
): void {
  const keys = namespaceKeys(ref);
  // EVAL, not EVALSHA: a pipeline cannot fall back if the script is not cached.
  pipeline.eval(
    FRESHNESS_CHECK,
    [keys.version, keys.log, keys.meta, keys.snapshot, tenantKeys(ref.tenant).searchSettings],
    [String(since ?? 0), since === undefined ? '1' : '0'],
  );
}

/** Number of commands {@link addFreshnessCheck} adds. */
export const FRESHNESS_CHECK_COMMANDS = 1;

/**
 * Reads the replies of {@link addFreshnessCheck}. The log is contiguous, so if its first
 * entry after `since` is not `since + 1` (trimmed away) or a reset happened, only a full
 * reload is safe.
 */
export function readFreshnessCheck(replies: readonly unknown[], since: number): ChangeSet {
  const [versionReply, chunksReply, entriesReply, snapshotReply, weightReply] = (replies[0] ??
    []) as unknown[];
  const version = Number(versionReply ?? 0);
  const counts = {
    chunkCount: Number(chunksReply ?? 0),
    snapshotVersion: Number(snapshotReply ?? 0),
    vectorWeight: parseVectorWeight(weightReply),
  };
  if (version === since) return { kind: 'current', version, ...counts };
  if (version < since) return { kind: 'reload', version, ...counts };
  const entries = ((entriesReply as unknown[] | null) ?? []).map(String);
  const documentIds = new Set<string>();
  let expected = since + 1;
  for (const entry of entries) {
    const [entryVersion, operation, ...idParts] = entry.split(':');
    if (Number(entryVersion) !== expected || operation === 'reset')
      return { kind: 'reload', version, ...counts };
    documentIds.add(idParts.join(':'));
    expected += 1;
  }
  if (expected <= version) return { kind: 'reload', version, ...counts };
  return { kind: 'changes', version, documentIds: [...documentIds], ...counts };
}

/** Reads whole namespaces and single documents out of Redis into memory. */
export class NamespaceReader {
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  /**
   * Loads a namespace in full. The version is read first, in the same transaction as the
   * document list, so any write racing the load is in the log after that version and is
   * applied by the next freshness check.
   */
  async loadAll(ref: NamespaceRef): Promise<NamespaceSnapshot> {
    const keys = namespaceKeys(ref);
    const [version, meta, records] = await redisCall(() =>
      this.redis
        .multi()
        .get(keys.version)
        .hgetall(keys.meta)
        .hvals(keys.documents)
        .exec<[string | null, unknown, string[]]>(),
    );
    const embedder = parseMeta(meta);
    const snapshot = new NamespaceSnapshot(
      embedder?.dimensions ?? 0,
      Number(version ?? 0),
      embedder,
    );
    const parsed = records.map((json) => JSON.parse(json) as DocumentRecord);
    const batches = batchByChunks(parsed);
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next] as DocumentRecord[];
        next += 1;
        const documents = await this.fetchDocuments(
          ref,
          batch.map((record) => record.id),
        );
        for (const document of documents.values()) if (document) snapshot.upsert(document);
      }
    };
    await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, worker));
    return snapshot;
  }

  /**
   * The current state of some documents; `undefined` for those that no longer exist.
   * One request reads every document's record and first part (all of a small
   * document); a larger document's other parts follow a few per request, each request
   * re-reading its layout so parts of two different writes are never mixed.
   */
  async fetchDocuments(
    ref: NamespaceRef,
    documentIds: readonly string[],
    attempt = 0,
  ): Promise<Map<string, LoadedDocument | undefined>> {
    const result = new Map<string, LoadedDocument | undefined>();
    if (documentIds.length === 0) return result;
    const keys = namespaceKeys(ref);
    const pipeline = this.redis.pipeline();
    for (const id of documentIds) pipeline.hmget(keys.document(id), 'record', 'layout', 'p0');
    const heads = await redisCall(() => pipeline.exec<unknown[]>());
    const torn: string[] = [];
    for (const [index, id] of documentIds.entries()) {
      const [record, layout, first] = (heads[index] ?? []) as (string | null)[];
      if (!record || !layout || !first) {
        result.set(id, undefined);
        continue;
      }
      const rest = await this.remainingParts(keys.document(id), layout);
      if (rest === undefined) torn.push(id);
      else result.set(id, decodeDocument(record, [first, ...rest]));
    }
    if (torn.length > 0) {
      if (attempt >= 3) {
        throw new IndexWriteConflictError(
          `Documents of namespace "${ref.namespace}" kept changing while being read; try again.`,
        );
      }
      for (const [id, document] of await this.fetchDocuments(ref, torn, attempt + 1)) {
        result.set(id, document);
      }
    }
    return result;
  }

  /** Parts 1.. of a document, or `undefined` if it was rewritten while being read. */
  private async remainingParts(key: string, layout: string): Promise<string[] | undefined> {
    const count = partCount(layout);
    const groups: string[][] = [];
    for (let first = 1; first < count; first += PARTS_PER_REQUEST) {
      const last = Math.min(count, first + PARTS_PER_REQUEST);
      groups.push(Array.from({ length: last - first }, (_, offset) => `p${first + offset}`));
    }
    // Explicit pipelines, one request each: the client's auto-pipelining would merge
    // concurrent plain commands into one request and undo the size cap.
    const replies = await Promise.all(
      groups.map(async (fields) => {
        const [reply] = await redisCall(() =>
          this.redis
            .pipeline()
            .hmget(key, 'layout', ...fields)
            .exec<[unknown]>(),
        );
        return reply;
      }),
    );
    const parts: string[] = [];
    for (const reply of replies) {
      const [seenLayout, ...values] = reply as (string | null)[];
      if (seenLayout !== layout || values.some((value) => value === null)) return undefined;
      parts.push(...(values as string[]));
    }
    return parts;
  }
}

function parseMeta(reply: unknown): EmbedderIdentity | undefined {
  const fields = hashReply(reply);
  const id = fields?.embedder;
  const dimensions = Number(fields?.dimensions);
  return id && dimensions > 0 ? { id, dimensions } : undefined;
}

function batchByChunks(records: readonly DocumentRecord[]): DocumentRecord[][] {
  return greedyBatches(records, (record) => Math.min(record.chunkCount, FIRST_PART_CHUNKS), {
    maxWeight: LOAD_BATCH_CHUNKS,
  });
}
