import type { ChunkInput, DocumentInput } from '#shared/knowledge/index/index.ts';

/** A seeded PRNG (mulberry32), so every run indexes the same corpus. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = 'ka lo mi nu pe ra si to vu ze an el in or us ba de fi go hu'.split(' ');

export interface Corpus {
  documents: { document: DocumentInput; chunks: ChunkInput[]; vectors: Float32Array[] }[];
  /** Query texts and vectors: near an existing chunk, as real questions are. */
  queries: { text: string; vector: Float32Array }[];
}

/**
 * Documents of 100 chunks of ~90 words drawn from a Zipf-distributed 20,000-word
 * vocabulary (so BM25 sees long postings for common words and short ones for rare), with
 * unit vectors clustered around 500 topics (so nearest neighbours are not uniform noise).
 */
export function syntheticCorpus(
  chunkCount: number,
  dimensions: number,
  queryCount: number,
): Corpus {
  const next = random(42);
  const vocabulary = Array.from({ length: 20_000 }, (_, i) => {
    let word = '';
    for (let n = i + 1; n > 0; n = Math.floor(n / SYLLABLES.length))
      word += SYLLABLES[n % SYLLABLES.length];
    return word;
  });
  // Zipf: the word at rank r is drawn with weight 1/r.
  const cumulative = new Float64Array(vocabulary.length);
  let total = 0;
  for (let r = 0; r < vocabulary.length; r += 1) {
    total += 1 / (r + 1);
    cumulative[r] = total;
  }
  const word = () => {
    const target = next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cumulative[mid] as number) < target) low = mid + 1;
      else high = mid;
    }
    return vocabulary[low] as string;
  };
  const gaussian = () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
  const unit = (vector: Float32Array) => {
    let sum = 0;
    for (const value of vector) sum += value * value;
    const norm = Math.sqrt(sum) || 1;
    for (let i = 0; i < vector.length; i += 1) vector[i] = (vector[i] as number) / norm;
    return vector;
  };
  const topics = Array.from({ length: 500 }, () =>
    unit(Float32Array.from({ length: dimensions }, gaussian)),
  );
  const near = (center: Float32Array, spread: number) =>
    unit(
      Float32Array.from(center, (value) => value + (spread * gaussian()) / Math.sqrt(dimensions)),
    );

  const perDocument = 100;
  const documents: Corpus['documents'] = [];
  for (let d = 0; d * perDocument < chunkCount; d += 1) {
    const count = Math.min(perDocument, chunkCount - d * perDocument);
    const chunks: ChunkInput[] = [];
    const vectors: Float32Array[] = [];
    for (let c = 0; c < count; c += 1) {
      const text = Array.from({ length: 90 }, word).join(' ');
      chunks.push({
        text,
        headingPath: [`Part ${Math.floor(c / 10) + 1}`],
        pageRange: { from: c + 1, to: c + 1 },
        offsets: { start: c * 600, end: c * 600 + text.length },
        metadata: {},
      });
      vectors.push(near(topics[Math.floor(next() * topics.length)] as Float32Array, 1.2));
    }
    documents.push({
      document: {
        id: `doc-${d}`,
        title: `Document ${d}`,
        source: `bench/doc-${d}.md`,
        contentHash: `h${d}`,
      },
      chunks,
      vectors,
    });
  }
  const queries = Array.from({ length: queryCount }, () => {
    const doc = documents[Math.floor(next() * documents.length)] as Corpus['documents'][number];
    const index = Math.floor(next() * doc.chunks.length);
    const words = (doc.chunks[index] as ChunkInput).text.split(' ');
    const start = Math.floor(next() * (words.length - 4));
    return {
      text: words.slice(start, start + 4).join(' '),
      vector: near(doc.vectors[index] as Float32Array, 0.8),
    };
  });
  return { documents, queries };
}
