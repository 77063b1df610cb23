import { randomBytes } from 'node:crypto';
import {
  type BulkReader,
  decodeBase64Into,
  hmgetReply,
  type Redis,
  redisCall,
} from '../../platform/redis/index.ts';
import { SnapshotCorruptError, SnapshotTextGoneError } from './errors.ts';
import { namespaceKeys } from './keys.ts';
import { FLIP_SNAPSHOT, SNAPSHOT_HEAD } from './lua-scripts.ts';
import { type ChangeSet, readFreshnessCheck } from './namespace-reader.ts';
import { type DeferredText, NamespaceSnapshot } from './namespace-snapshot.ts';
import {
  encodeSnapshot,
  planSnapshotRead,
  type SegmentTarget,
  type SnapshotManifest,
  segmentTargets,
  type TextSection,
  textPieces,
} from './snapshot-codec.ts';
import type { NamespaceRef } from './types.ts';

const POINTER_FIELDS = ['generation', 'manifest'] as const;

/** Segments read per request: replies of up to about 4 MB, which measured a little faster than 8. */
const SEGMENTS_PER_READ = 1;
/**
 * Read requests in flight at once: one reply's transfer hides the other's round trip.
 * Four measured 8-10% slower on a 2-core machine (more replies held and copied at once).
 */
const READ_CONCURRENCY = 2;
/** Segment writes in flight at once (each a request of a few MB). */
const WRITE_CONCURRENCY = 3;
/** Unflipped segments (a writer that stopped half way) expire after this long. */
const SEGMENT_TTL_SECONDS = 3600;
/** How long one container's claim to write a namespace's snapshot holds. */
const CLAIM_TTL_SECONDS = 120;

/** A snapshot read back, and what changed in the namespace since the version it covers. */
export interface StoredSnapshot {
  snapshot: NamespaceSnapshot;
  changes: ChangeSet;
}

/** The pointer to a namespace's snapshot: its generation and how many segments it has. */
export interface SnapshotPointer {
  generation: string;
  segments: number;
}

/** Why a snapshot was not written (or `written`). */
export type SnapshotWriteOutcome = 'written' | 'claimed' | 'moved' | 'stale' | 'missing';

/**
 * Stored snapshots of namespaces: every live chunk's vector, postings and text in a few
 * MB-sized segments under a generation id, named by one pointer hash that a script flips
 * once every segment is in place. A reader sees one whole generation or none.
 */
export class SnapshotStore {
  private readonly redis: Redis;
  private readonly bulk: BulkReader | undefined;
  private readonly flipScript;

  /** `bulk`, when given, reads the segments (see `createBulkReader`); else the client does. */
  constructor(redis: Redis, bulk?: BulkReader) {
    this.redis = redis;
    this.bulk = bulk;
    this.flipScript = redis.createScript<string>(FLIP_SNAPSHOT);
  }

  /**
   * The namespace's snapshot with the change log since it, or `undefined` when there is
   * none or it cannot be used: the log no longer reaches back to it, the namespace was
   * reset since, or its segments were replaced or lost while being read.
   */
  async read(ref: NamespaceRef, attempt = 0): Promise<StoredSnapshot | undefined> {
    const keys = namespaceKeys(ref);
    const head = await redisCall(() =>
      this.redis.eval<string[], unknown[]>(
        SNAPSHOT_HEAD,
        [keys.snapshot, keys.version, keys.log, keys.meta],
        [],
      ),
    );
    const [generation, since, manifestJson, version, chunks, entries] = head as [
      string | null,
      string,
      string,
      string,
      string,
      unknown[],
    ];
    if (!generation) return undefined;
    const snapshotVersion = Number(since);
    const changes = readFreshnessCheck([[version, chunks, entries]], snapshotVersion);
    if (changes.kind === 'reload') return undefined;
    try {
      // The chunk text stays in Redis: searches load the blocks they need, and the whole
      // text follows in the background (`loadAllText`).
      const manifest = JSON.parse(manifestJson) as SnapshotManifest;
      const read = planSnapshotRead(manifest, { deferText: true });
      const outcome = await this.readSegments(ref, generation, read.targets);
      // Most likely a newer snapshot was flipped in and this generation deleted: read that.
      if (outcome === 'missing') return attempt < 1 ? this.read(ref, attempt + 1) : undefined;
      if (outcome === 'malformed') return undefined;
      const text = read.text && this.deferredText(ref, generation, read.text);
      const snapshot = NamespaceSnapshot.restore(read.restore(), text);
      return { snapshot, changes: { ...changes, snapshotVersion } };
    } catch (error) {
      if (error instanceof SnapshotCorruptError) return undefined;
      throw error;
    }
  }

  /** The current pointer, or `undefined` when the namespace has no snapshot. */
  async pointer(ref: NamespaceRef): Promise<SnapshotPointer | undefined> {
    const fields = await redisCall(() =>
      this.redis.hmget(namespaceKeys(ref).snapshot, ...POINTER_FIELDS),
    );
    return parsePointer(fields);
  }

  /**
   * Writes a loaded namespace as the new snapshot, unless another container holds the
   * claim to write one. Segments go under a new generation with an expiry; the pointer
   * flips to them only if all arrived and nothing newer happened (see `FLIP_SNAPSHOT`).
   */
  async write(ref: NamespaceRef, snapshot: NamespaceSnapshot): Promise<SnapshotWriteOutcome> {
    const keys = namespaceKeys(ref);
    const generation = randomBytes(8).toString('hex');
    const [claimed, fields] = await redisCall(() =>
      this.redis
        .pipeline()
        .set(keys.snapshotClaim, generation, { nx: true, ex: CLAIM_TTL_SECONDS })
        .hmget(keys.snapshot, ...POINTER_FIELDS)
        .exec<[string | null, unknown]>(),
    );
    if (claimed !== 'OK') return 'claimed';
    const previous = parsePointer(fields);
    try {
      await snapshot.loadAllText();
      const { manifest, segments } = encodeSnapshot(snapshot);
      await this.writeSegments(ref, generation, segments);
      const outcome = await redisCall(() =>
        this.flipScript.exec(
          [
            keys.snapshot,
            keys.version,
            keys.log,
            keys.snapshotClaim,
            ...segments.map((_, index) => keys.snapshotSegment(generation, index)),
            ...segmentKeys(ref, previous),
          ],
          [
            previous?.generation ?? '',
            generation,
            String(manifest.version),
            JSON.stringify({ ...manifest, generation }),
            String(segments.length),
            String(previous?.segments ?? 0),
          ],
        ),
      );
      if (outcome === 'ok') return 'written';
      await this.discard(ref, generation, segments.length);
      return outcome as SnapshotWriteOutcome;
    } catch (error) {
      await this.discard(ref, generation, 0).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Reads every segment of a generation into its target. `missing` when one is gone (a
   * newer snapshot or a clear deleted this generation mid-read), `malformed` when one is
   * not the base64 of its target's size.
   */
  private async readSegments(
    ref: NamespaceRef,
    generation: string,
    targets: readonly SegmentTarget[],
  ): Promise<'read' | 'missing' | 'malformed'> {
    const keys = namespaceKeys(ref);
    let next = 0;
    let outcome: 'read' | 'missing' | 'malformed' = 'read';
    // Explicit pipelines, one request each: auto-pipelining would merge concurrent reads
    // into one request and undo the reply size cap.
    const worker = async () => {
      while (next < targets.length && outcome === 'read') {
        const first = next;
        next = Math.min(targets.length, next + SEGMENTS_PER_READ);
        const batch = targets.slice(first, next);
        const results = await this.readInto(
          batch.map(({ segment }) => keys.snapshotSegment(generation, segment)),
          batch.map(({ bytes }) => bytes),
        );
        if (results.includes(null)) outcome = 'missing';
        else if (results.includes(false) && outcome === 'read') outcome = 'malformed';
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
    return outcome;
  }

  /**
   * The text blocks of a snapshot read without them: ranges by GETRANGE on their
   * segments' base64 (whole groups of four characters), in one round trip; all of them by
   * reading those segments. A segment gone or cut short means the generation was
   * replaced: {@link SnapshotTextGoneError}.
   */
  private deferredText(ref: NamespaceRef, generation: string, section: TextSection): DeferredText {
    const keys = namespaceKeys(ref);
    return {
      fetchBlocks: async (ranges) => {
        const pieces = ranges.map(([start, end]) => textPieces(section, start, end));
        const pipeline = this.redis.pipeline();
        for (const piece of pieces.flat()) {
          pipeline.getrange(
            keys.snapshotSegment(generation, piece.segment),
            piece.from,
            piece.to - 1,
          );
        }
        const replies = await redisCall(() => pipeline.exec<string[]>());
        let reply = 0;
        return pieces.map((parts) =>
          Buffer.concat(
            parts.map((piece) => {
              const text = replies[reply++];
              if (typeof text !== 'string' || text.length !== piece.to - piece.from) {
                throw new SnapshotTextGoneError();
              }
              const bytes = Buffer.from(text, 'base64');
              return bytes.subarray(piece.skip, piece.skip + piece.length);
            }),
          ),
        );
      },
      fetchAll: async () => {
        const blocks = new Uint8Array(section.bytes);
        const targets = segmentTargets(blocks, section.firstSegment);
        const outcome = await this.readSegments(ref, generation, targets);
        if (outcome !== 'read') throw new SnapshotTextGoneError();
        return blocks;
      },
    };
  }

  private async readInto(
    keys: readonly string[],
    targets: readonly Uint8Array[],
  ): Promise<(boolean | null)[]> {
    if (this.bulk) return this.bulk.readInto(keys, targets);
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.get(key);
    const values = await redisCall(() => pipeline.exec<(string | null)[]>());
    return values.map((value, index) =>
      value === null ? null : decodeBase64Into(value, targets[index] as Uint8Array),
    );
  }

  private async writeSegments(
    ref: NamespaceRef,
    generation: string,
    segments: readonly string[],
  ): Promise<void> {
    const keys = namespaceKeys(ref);
    let next = 0;
    const worker = async () => {
      while (next < segments.length) {
        const index = next;
        next += 1;
        await redisCall(() =>
          this.redis
            .pipeline()
            .set(keys.snapshotSegment(generation, index), segments[index] as string, {
              ex: SEGMENT_TTL_SECONDS,
            })
            .exec(),
        );
      }
    };
    await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, worker));
  }

  /** Drops an unflipped generation and the claim (both would expire anyway). */
  private async discard(ref: NamespaceRef, generation: string, segments: number): Promise<void> {
    const keys = namespaceKeys(ref);
    const stale = segmentKeys(ref, { generation, segments });
    await redisCall(() => this.redis.del(keys.snapshotClaim, ...stale));
  }
}

/** Every segment key of a generation. */
export function segmentKeys(ref: NamespaceRef, pointer: SnapshotPointer | undefined): string[] {
  if (!pointer) return [];
  const keys = namespaceKeys(ref);
  return Array.from({ length: pointer.segments }, (_, index) =>
    keys.snapshotSegment(pointer.generation, index),
  );
}

/** An HMGET of the pointer's `generation` and `manifest`, as a pointer. */
export function parsePointer(reply: unknown): SnapshotPointer | undefined {
  const [generation, manifest] = hmgetReply(reply, POINTER_FIELDS);
  if (!generation || !manifest) return undefined;
  return {
    generation,
    segments: (JSON.parse(manifest) as SnapshotManifest).segments,
  };
}
