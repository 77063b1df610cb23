import { describe, expect, it } from 'vitest';
import { offlineEmbedding } from '#shared/knowledge/embeddings/index.ts';
import { prepareDocument } from '#shared/knowledge/index/document-store.ts';
import { SnapshotCorruptError } from '#shared/knowledge/index/errors.ts';
import { LOG_RETENTION, SNAPSHOT_REWRITE_AFTER } from '#shared/knowledge/index/index.ts';
import { NamespaceSnapshot } from '#shared/knowledge/index/namespace-snapshot.ts';
import { rankChunks } from '#shared/knowledge/index/rank.ts';
import { decodeSnapshot, encodeSnapshot } from '#shared/knowledge/index/snapshot-codec.ts';
import type { SearchQuery } from '#shared/knowledge/index/types.ts';

// Not a multiple of 16: vector rows are padded in memory, so restoring copies row by row.
const DIMS = 20;
const embedder = { id: 'offline:test', dimensions: DIMS };
const WORDS = 'granite basalt tide delta glacier reef dune canyon fjord atoll mesa'.split(' ');

function documentOf(id: string, seed: number) {
  const texts = Array.from({ length: 4 }, (_, ordinal) => {
    const words = Array.from(
      { length: 12 },
      (_, i) => WORDS[(seed * 7 + ordinal * 3 + i * i) % WORDS.length],
    );
    return `${words.join(' ')} ${'naïve “quoted” 𝄞 '.repeat(ordinal)}${id}`;
  });
  return prepareDocument(
    { id, title: `Title ${id}`, source: `${id}.md`, contentHash: `${id}-${seed}` },
    texts.map((text, ordinal) => ({
      text,
      headingPath: ['Geology', `Part ${ordinal}`],
      pageRange: ordinal % 2 ? null : { from: ordinal, to: ordinal + 1 },
      offsets: { start: ordinal * 50, end: ordinal * 50 + text.length },
      ...(ordinal === 2 ? { metadata: { kind: seed % 2 ? 'odd' : 'even' } } : {}),
    })),
    { embedder, vectors: texts.map((text) => offlineEmbedding(text, DIMS)) },
  ).loaded;
}

function queries(): SearchQuery[] {
  return ['granite tide', 'reef atoll 𝄞', 'canyon d3'].flatMap((text) => {
    const vector = offlineEmbedding(text, DIMS);
    return [
      { text, vector, k: 7, mode: 'hybrid' as const },
      { text, vector, k: 7, mode: 'vector' as const },
      { text, vector, k: 7, mode: 'lexical' as const },
      { text, vector, k: 7, mode: 'hybrid' as const, filter: { metadata: { kind: 'odd' } } },
    ];
  });
}

function results(snapshot: NamespaceSnapshot) {
  return queries().map((query) => rankChunks(snapshot, query));
}

function restored(snapshot: NamespaceSnapshot): NamespaceSnapshot {
  const { manifest, segments } = encodeSnapshot(snapshot);
  return NamespaceSnapshot.restore(decodeSnapshot(manifest, segments));
}

describe('stored snapshot encoding', () => {
  it('restores a namespace that ranks exactly as the one encoded, and keeps doing so under changes', () => {
    // Prepare: dead slots too, from a replaced and a removed document.
    const original = new NamespaceSnapshot(DIMS, 7, embedder);
    for (let i = 0; i < 9; i += 1) original.upsert(documentOf(`d${i}`, i));
    original.upsert(documentOf('d3', 12));
    original.remove('d5');

    // Act
    const copy = restored(original);

    // Assess
    expect(copy.version).toBe(7);
    expect(copy.chunkCount).toBe(original.chunkCount);
    expect(copy.documents()).toEqual(original.documents());
    expect(results(copy)).toEqual(results(original));
    expect(results(copy).flat().length).toBeGreaterThan(40);
    for (const snapshot of [original, copy]) {
      snapshot.upsert(documentOf('d9', 9));
      snapshot.upsert(documentOf('d0', 4));
      snapshot.remove('d7');
    }
    expect(results(copy)).toEqual(results(original));
  });

  it('refuses segments that do not fit their manifest', () => {
    // Prepare
    const original = new NamespaceSnapshot(DIMS, 3, embedder);
    for (let i = 0; i < 3; i += 1) original.upsert(documentOf(`d${i}`, i));
    const { manifest, segments } = encodeSnapshot(original);
    const sectionAt = manifest.sections.findIndex((section) => section.name === 'vectors');
    const segmentAt = manifest.sections
      .slice(0, sectionAt)
      .reduce((sum, section) => sum + section.segments, 0);
    const truncated = segments.map((segment, index) =>
      index === segmentAt ? segment.slice(0, -8) : segment,
    );

    // Act / Assess
    const restore = (manifestRead: typeof manifest, segmentsRead: string[]) => () =>
      NamespaceSnapshot.restore(decodeSnapshot(manifestRead, segmentsRead));
    expect(restore(manifest, segments)).not.toThrow();
    expect(restore(manifest, truncated)).toThrow(SnapshotCorruptError);
    expect(restore(manifest, segments.slice(1))).toThrow(SnapshotCorruptError);
    expect(restore({ ...manifest, format: 99 }, segments)).toThrow(SnapshotCorruptError);
  });

  it('is rewritten well before the change log stops reaching back to it', () => {
    // A cold load can only apply the log since its snapshot while the log still holds it.
    expect(LOG_RETENTION).toBeGreaterThanOrEqual(5 * SNAPSHOT_REWRITE_AFTER);
  });
});
