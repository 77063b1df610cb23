import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { offlineEmbedding } from '#shared/knowledge/embeddings/index.ts';
import { prepareDocument } from '#shared/knowledge/index/document-store.ts';
import {
  type DeferredText,
  NamespaceSnapshot,
} from '#shared/knowledge/index/namespace-snapshot.ts';
import { rankChunks, searchNamespace } from '#shared/knowledge/index/rank.ts';
import {
  decodeSnapshot,
  encodeSnapshot,
  planSnapshotRead,
  SEGMENT_BYTES,
  type TextSection,
  textPieces,
} from '#shared/knowledge/index/snapshot-codec.ts';
import type { SearchQuery } from '#shared/knowledge/index/types.ts';

const DIMS = 16;
const embedder = { id: 'offline:test', dimensions: DIMS };
const WORDS = 'granite basalt tide delta glacier reef dune canyon fjord atoll mesa'.split(' ');

/** A document of four chunks of ~400 characters: 80 of them fill several 16K text blocks. */
function documentOf(id: string, seed: number) {
  const texts = Array.from({ length: 4 }, (_, ordinal) => {
    const words = Array.from(
      { length: 60 },
      (_, i) => WORDS[(seed * 7 + ordinal * 3 + i * i) % WORDS.length],
    );
    return `${words.join(' ')} ${id}`;
  });
  return prepareDocument(
    { id, title: `Title ${id}`, source: `${id}.md`, contentHash: `${id}-${seed}` },
    texts.map((text, ordinal) => ({
      text,
      headingPath: ['Geology'],
      pageRange: null,
      offsets: { start: ordinal * 500, end: ordinal * 500 + text.length },
      ...(ordinal === 2 ? { metadata: { kind: seed % 2 ? 'odd' : 'even' } } : {}),
    })),
    { embedder, vectors: texts.map((text) => offlineEmbedding(text, DIMS)) },
  ).loaded;
}

function queries(): SearchQuery[] {
  return ['granite tide', 'reef atoll d7', 'canyon d33'].flatMap((text) => {
    const vector = offlineEmbedding(text, DIMS);
    return [
      { text, vector, k: 7, mode: 'hybrid' as const },
      { text, vector, k: 7, mode: 'lexical' as const },
      { text, vector, k: 7, mode: 'hybrid' as const, filter: { metadata: { kind: 'odd' } } },
    ];
  });
}

/**
 * A namespace restored with its text left behind, the text served from the encoded
 * segments as Redis would serve GETRANGE (so `textPieces` is exercised), and the requests
 * it made; beside it the same namespace restored whole.
 */
function restoredTwice(original: NamespaceSnapshot) {
  const { manifest, segments } = encodeSnapshot(original);
  const whole = NamespaceSnapshot.restore(decodeSnapshot(manifest, segments));
  const read = planSnapshotRead(manifest, { deferText: true });
  for (const { segment, bytes } of read.targets) {
    bytes.set(Buffer.from(segments[segment] as string, 'base64'));
  }
  const section = read.text as TextSection;
  const requests = { blocks: [] as number[], calls: 0, all: 0 };
  const text: DeferredText = {
    async fetchBlocks(ranges) {
      requests.calls += 1;
      requests.blocks.push(ranges.length);
      return ranges.map(([start, end]) =>
        Buffer.concat(
          textPieces(section, start, end).map((piece) => {
            const base64 = (segments[piece.segment] as string).slice(piece.from, piece.to);
            return Buffer.from(base64, 'base64').subarray(piece.skip, piece.skip + piece.length);
          }),
        ),
      );
    },
    async fetchAll() {
      requests.all += 1;
      const parts = Array.from({ length: section.segments }, (_, i) =>
        Buffer.from(segments[section.firstSegment + i] as string, 'base64'),
      );
      return Buffer.concat(parts);
    },
  };
  return { whole, deferred: NamespaceSnapshot.restore(read.restore(), text), requests };
}

function namespaceOf(documents: number): NamespaceSnapshot {
  const snapshot = new NamespaceSnapshot(DIMS, 5, embedder);
  for (let i = 0; i < documents; i += 1) snapshot.upsert(documentOf(`d${i}`, i));
  return snapshot;
}

describe('a namespace restored with its chunk text left in Redis', () => {
  it('ranks as the whole one, loading only the blocks of its hits and filters', async () => {
    // Prepare
    const { whole, deferred, requests } = restoredTwice(namespaceOf(80));
    const totalBlocks = Math.ceil((80 * 4 * 420) / 16_384);

    // Act
    const results = [];
    for (const query of queries()) results.push(await searchNamespace(deferred, query));

    // Assess: at most one request for the filter and one for the hits per search.
    expect(results).toEqual(queries().map((query) => rankChunks(whole, query)));
    expect(results.flat().length).toBeGreaterThan(40);
    expect(requests.calls).toBeLessThanOrEqual(queries().length * 2);
    expect(requests.all).toBe(0);
    const first = requests.blocks[0] as number;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(totalBlocks);
  });

  it('applies removals and replacements once the replaced documents’ text is loaded', async () => {
    // Prepare
    const { whole, deferred } = restoredTwice(namespaceOf(80));
    expect(deferred.hasTextOf('d3')).toBe(false);
    expect(deferred.hasTextOf('not-there')).toBe(true);

    // Act
    await deferred.loadDocumentText(['d3', 'd5', 'not-there']);
    for (const snapshot of [whole, deferred]) {
      snapshot.remove('d3');
      snapshot.upsert(documentOf('d5', 51));
      snapshot.upsert(documentOf('d80', 80));
    }

    // Assess
    expect(deferred.hasTextOf('d5')).toBe(true);
    for (const query of queries()) {
      expect(await searchNamespace(deferred, query)).toEqual(rankChunks(whole, query));
    }
  });

  it('loads all its text once, then asks for none and encodes as the whole one', async () => {
    // Prepare
    const { whole, deferred, requests } = restoredTwice(namespaceOf(40));

    // Act
    await Promise.all([deferred.loadAllText(), deferred.loadAllText()]);
    for (const query of queries()) await searchNamespace(deferred, query);

    // Assess
    expect(requests.all).toBe(1);
    expect(requests.calls).toBe(0);
    expect(deferred.documents()).toEqual(whole.documents());
    expect(encodeSnapshot(deferred).segments).toEqual(encodeSnapshot(whole).segments);
  });
});

describe('text pieces of a section stored in several segments', () => {
  it('cover any byte range with whole base64 groups, across segment boundaries', () => {
    // Prepare: three segments, the last one short and padded.
    const perSegment = (SEGMENT_BYTES / 4) * 3;
    const bytes = randomBytes(2 * perSegment + 1000);
    const segments = [0, 1, 2].map((i) =>
      bytes.subarray(i * perSegment, (i + 1) * perSegment).toString('base64'),
    );
    const section = { firstSegment: 3, segments: 3, bytes: bytes.length };
    const ranges: [number, number][] = [
      [0, 1],
      [1, 2],
      [2, 5],
      [perSegment - 5, perSegment + 7],
      [perSegment, perSegment + 1],
      [2 * perSegment - 1, bytes.length],
      [bytes.length - 1, bytes.length],
      [0, bytes.length],
    ];
    for (let i = 0; i < 50; i += 1) {
      const start = Math.floor(Math.random() * bytes.length);
      ranges.push([start, Math.min(bytes.length, start + Math.floor(Math.random() * 20_000))]);
    }

    // Act / Assess
    for (const [start, end] of ranges) {
      const pieces = textPieces(section, start, end);
      const read = Buffer.concat(
        pieces.map((piece) => {
          expect(piece.from % 4).toBe(0);
          expect(piece.to % 4).toBe(0);
          const base64 = (segments[piece.segment - 3] as string).slice(piece.from, piece.to);
          expect(base64.length).toBe(piece.to - piece.from);
          return Buffer.from(base64, 'base64').subarray(piece.skip, piece.skip + piece.length);
        }),
      );
      expect(read.equals(bytes.subarray(start, end))).toBe(true);
    }
    expect(() => textPieces(section, 0, bytes.length + 1)).toThrow(RangeError);
  });
});
