/**
 * Retrieval evaluation: indexes each test collection in memory the way ingestion does and
 * prints nDCG@10, recall@10 and MAP per search mode, with the offline embedder and with a
 * stand-in for a strong semantic model. Reads only the vendored fixtures.
 *
 *   npm run eval:retrieval              (the table in the README)
 *   npm run eval:retrieval -- --sweep   (hybrid nDCG@10 per vector weight, and RRF)
 */
import { createOfflineEmbedder } from '#shared/knowledge/embeddings/offline-embedder.ts';
import type { SearchMode } from '#shared/knowledge/index/types.ts';
import { constitution, cysticFibrosis } from './collections.ts';
import { type IndexedCollection, indexCollection, scoreMode } from './evaluate.ts';
import { reciprocalRankFusionNdcg } from './reciprocal-rank-fusion.ts';
import { strongEmbedder } from './strong-embedder.ts';

const DIMENSIONS = 512;
const MODES: SearchMode[] = ['lexical', 'vector', 'hybrid'];
const SWEEP = [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
const sweep = process.argv.includes('--sweep');

console.log('| collection | embedder | mode | nDCG@10 | recall@10 | MAP |');
console.log('| --- | --- | --- | --- | --- | --- |');
const sweeps: string[] = [];
for (const collection of [cysticFibrosis(), constitution()]) {
  const embedders = [createOfflineEmbedder(DIMENSIONS), strongEmbedder(collection, DIMENSIONS)];
  for (const embedder of embedders) {
    const indexed = await indexCollection(collection, embedder);
    for (const mode of MODES) {
      const scores = scoreMode(indexed, { mode });
      console.log(
        `| ${collection.name} | ${embedder.id} | ${mode} | ${scores.ndcg10.toFixed(3)} | ${scores.recall10.toFixed(3)} | ${scores.map.toFixed(3)} |`,
      );
    }
    if (sweep) sweeps.push(sweepRow(indexed));
  }
}
if (sweep) {
  console.log(
    `\nhybrid nDCG@10 by vector weight (convex combination), and reciprocal rank fusion (k=60)`,
  );
  console.log(`| collection | embedder | ${SWEEP.join(' | ')} | RRF |`);
  console.log(`| --- | --- | ${SWEEP.map(() => '---').join(' | ')} | --- |`);
  for (const row of sweeps) console.log(row);
}

function sweepRow(indexed: IndexedCollection): string {
  const cells = SWEEP.map((vectorWeight) =>
    scoreMode(indexed, { mode: 'hybrid', vectorWeight }).ndcg10.toFixed(3),
  );
  const rrf = reciprocalRankFusionNdcg(indexed).toFixed(3);
  return `| ${indexed.collection.name} | ${indexed.embedder.id} | ${cells.join(' | ')} | ${rrf} |`;
}
