import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { offlineEmbedding } from '#shared/knowledge/embeddings/index.ts';
import { prepareDocument } from '#shared/knowledge/index/document-store.ts';
import { NamespaceSnapshot } from '#shared/knowledge/index/namespace-snapshot.ts';
import { rankChunks } from '#shared/knowledge/index/rank.ts';
import { makeSnippet } from '#shared/knowledge/index/snippet.ts';
import {
  decodeDocument,
  encodeParts,
  formatLayout,
  partCount,
} from '#shared/knowledge/index/stored-document.ts';
import { tokenize } from '#shared/knowledge/index/tokenizer.ts';
import { TopK } from '#shared/knowledge/index/top-k.ts';
import {
  decodeQuantized,
  encodeQuantized,
  quantize,
} from '#shared/knowledge/index/vector-codec.ts';

const DIMS = 32;
const embedder = { id: 'offline:test', dimensions: DIMS };

function loaded(id: string, texts: string[]) {
  return prepareDocument(
    { id, title: id, source: `${id}.txt`, contentHash: id },
    texts.map((text) => ({
      text,
      headingPath: [],
      pageRange: null,
      offsets: { start: 0, end: text.length },
    })),
    { embedder, vectors: texts.map((text) => offlineEmbedding(text, DIMS)) },
  ).loaded;
}

describe('TopK', () => {
  it('keeps the k best of any sequence, best first, equal scores by lower id', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { maxLength: 200 }),
          // Few distinct values: many ties, which must not depend on the push order.
          fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 200 }),
        ),
        fc.nat(20),
        (scores, k) => {
          const top = new TopK(k);
          for (const [id, score] of scores.entries()) top.push(id, score);
          const reversed = new TopK(k);
          for (let id = scores.length - 1; id >= 0; id -= 1)
            reversed.push(id, scores[id] as number);
          const expected = scores
            .map((score, id) => ({ id, score }))
            .sort((a, b) => b.score - a.score || a.id - b.id)
            .slice(0, k);
          expect(top.sorted()).toEqual(expected);
          expect(reversed.sorted()).toEqual(expected);
        },
      ),
    );
  });
});

describe('int8 vectors', () => {
  it('survive storage encoding and keep cosine similarity within 1%', () => {
    // Prepare
    const a = offlineEmbedding('exact hybrid search on plain redis', 256);
    const b = offlineEmbedding('hybrid retrieval over redis data structures', 256);
    let exact = 0;
    for (let i = 0; i < 256; i += 1) exact += (a[i] as number) * (b[i] as number);

    // Act
    const decoded = decodeQuantized(encodeQuantized(quantize([b], 256)));
    let approx = 0;
    for (let i = 0; i < 256; i += 1) approx += (a[i] as number) * (decoded.values[i] as number);
    approx *= decoded.scales[0] as number;

    // Assess
    expect(Math.abs(approx - exact)).toBeLessThan(0.01);
  });
});

describe('stored parts', () => {
  it('split a large document and read back to the same chunks and vectors', () => {
    // Prepare
    const document = loaded(
      'big',
      Array.from({ length: 50 }, (_, i) => `chunk ${i} ${'x'.repeat(400)}`),
    );

    // Act
    const parts = encodeParts(document.chunks, document.vectors, DIMS, 4_000);
    const back = decodeDocument(JSON.stringify(document.record), parts);

    // Assess
    expect(parts.length).toBeGreaterThan(5);
    expect(parts.every((part) => part.length <= 4_000 + 200)).toBe(true);
    expect(back.chunks).toEqual(document.chunks);
    expect(Array.from(back.vectors.values)).toEqual(Array.from(document.vectors.values));
    expect(partCount(formatLayout('abc123', parts.length))).toBe(parts.length);
  });
});

describe('NamespaceSnapshot', () => {
  it('replaces, removes and compacts without losing live chunks', () => {
    // Prepare
    const snapshot = new NamespaceSnapshot(DIMS, 0, embedder);
    for (let i = 0; i < 400; i += 1)
      snapshot.upsert(loaded(`doc${i}`, [`alpha ${i}`, `beta ${i}`, `gamma ${i}`, `delta ${i}`]));

    // Act: enough removals to trigger compaction, then a replacement.
    for (let i = 0; i < 300; i += 1) snapshot.remove(`doc${i}`);
    snapshot.upsert(loaded('doc399', ['omega replaced']));

    // Assess
    expect(snapshot.documentCount).toBe(100);
    expect(snapshot.chunkCount).toBe(99 * 4 + 1);
    const hits = rankChunks(snapshot, { text: 'omega', k: 3, mode: 'lexical' });
    expect(hits.map((hit) => hit.documentId)).toEqual(['doc399']);
    const vectorHits = rankChunks(snapshot, {
      text: '',
      vector: offlineEmbedding('gamma 350', DIMS),
      k: 1,
      mode: 'vector',
    });
    expect(vectorHits[0]?.text).toBe('gamma 350');
    expect(
      rankChunks(snapshot, { text: 'alpha 5', k: 5, mode: 'lexical' }).every(
        (hit) => hit.documentId !== 'doc5',
      ),
    ).toBe(true);
  });

  it('scores chosen slots exactly as its searches do, and dead slots as NaN', () => {
    // Prepare
    const snapshot = new NamespaceSnapshot(DIMS, 0, embedder);
    for (let i = 0; i < 30; i += 1)
      snapshot.upsert(
        loaded(`doc${i}`, [`redis lua ${i}`, `lua scripting ${i % 4}`, `other ${i}`]),
      );
    const vector = offlineEmbedding('lua scripting', DIMS);
    const terms = tokenize('lua scripting redis');
    const dead = snapshot.lexicalSearch(tokenize('other 7'), 1, undefined)[0]?.slot as number;
    snapshot.remove(snapshot.chunk(dead).record.id);
    const byVector = snapshot.vectorSearch(vector, 40, undefined);
    const byTerms = snapshot.lexicalSearch(terms, 40, undefined);

    // Act
    const vectorScores = snapshot.vectorScores(vector, [...byVector.map((c) => c.slot), dead]);
    const lexicalScores = snapshot.lexicalScores(terms, [...byTerms.map((c) => c.slot), dead]);

    // Assess
    expect(byVector).toHaveLength(40);
    expect(byTerms).toHaveLength(40);
    expect(Array.from(vectorScores)).toStrictEqual([...byVector.map((c) => c.score), Number.NaN]);
    expect(Array.from(lexicalScores)).toStrictEqual([...byTerms.map((c) => c.score), Number.NaN]);
  });

  it('ranks hybrid by the weighted, normalised scores of both rankers', () => {
    // Prepare
    const snapshot = new NamespaceSnapshot(DIMS, 0, embedder);
    snapshot.upsert(loaded('a', ['redis lua scripting guide', 'unrelated cooking recipe']));

    // Act
    const hits = rankChunks(snapshot, {
      text: 'lua scripting',
      vector: offlineEmbedding('lua scripting', DIMS),
      k: 2,
      mode: 'hybrid',
    });

    // Assess: first in both rankings is 1 whatever the weight; the other chunk has
    // both exact scores, its BM25 a real 0 (no query term), not a missing value.
    expect(hits[0]?.text).toBe('redis lua scripting guide');
    expect(hits[0]?.score).toBeCloseTo(1, 10);
    expect(hits[0]?.lexicalScore).toBeGreaterThan(0);
    expect(hits[1]?.lexicalScore).toBe(0);
    expect(hits[1]?.vectorScore).toBeTypeOf('number');
  });

  it('follows lexical order at vector weight 0 and vector order at 1', () => {
    // Prepare
    const snapshot = new NamespaceSnapshot(DIMS, 0, embedder);
    const texts = Array.from({ length: 30 }, (_, i) => `topic ${i % 7} note ${i} alpha beta`);
    snapshot.upsert(loaded('many', texts));
    const query = { text: 'alpha topic 3', vector: offlineEmbedding('beta note 12', DIMS), k: 5 };

    // Act
    const lexical = rankChunks(snapshot, { ...query, mode: 'lexical' });
    const vector = rankChunks(snapshot, { ...query, mode: 'vector' });
    const allLexical = rankChunks(snapshot, { ...query, mode: 'hybrid', vectorWeight: 0 });
    const allVector = rankChunks(snapshot, { ...query, mode: 'hybrid', vectorWeight: 1 });

    // Assess: the same scores in the same order (equal scores may swap places).
    expect(allLexical.map((hit) => hit.lexicalScore)).toEqual(lexical.map((hit) => hit.score));
    expect(allVector.map((hit) => hit.vectorScore)).toEqual(vector.map((hit) => hit.score));
  });
});

describe('makeSnippet', () => {
  it('picks the sentence with the query terms and marks cuts', () => {
    const text = `${'Intro sentence about nothing much. '.repeat(8)}The warranty covers water damage for two years. ${'Closing remarks go here. '.repeat(8)}`;
    const snippet = makeSnippet(text, new Set(tokenize('water damage warranty')), 120);
    expect(snippet).toContain('The warranty covers water damage for two years.');
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(122);
  });

  it('returns short text whole', () => {
    expect(makeSnippet('  Short   text. ', new Set())).toBe('Short text.');
  });
});
