/** Graded judgments of one query: document id to grade (absent or 0: not relevant). */
export type Judgments = Readonly<Record<string, number>>;

/**
 * nDCG at `k` as trec_eval computes it: gain is the grade itself, discounted by
 * log2(rank + 1), over the ideal ordering of every judged document.
 */
export function ndcgAt(k: number, ranked: readonly string[], judgments: Judgments): number {
  let dcg = 0;
  for (const [rank, id] of ranked.slice(0, k).entries()) {
    dcg += (judgments[id] ?? 0) / Math.log2(rank + 2);
  }
  const ideal = Object.values(judgments)
    .filter((grade) => grade > 0)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, rank) => sum + grade / Math.log2(rank + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Share of the relevant documents found in the first `k`. */
export function recallAt(k: number, ranked: readonly string[], judgments: Judgments): number {
  const relevant = relevantCount(judgments);
  if (relevant === 0) return 0;
  return ranked.slice(0, k).filter((id) => (judgments[id] ?? 0) > 0).length / relevant;
}

/** Average precision over the whole ranked list (relevant: any grade above 0). */
export function averagePrecision(ranked: readonly string[], judgments: Judgments): number {
  const relevant = relevantCount(judgments);
  if (relevant === 0) return 0;
  let found = 0;
  let sum = 0;
  for (const [rank, id] of ranked.entries()) {
    if ((judgments[id] ?? 0) > 0) {
      found += 1;
      sum += found / (rank + 1);
    }
  }
  return sum / relevant;
}

function relevantCount(judgments: Judgments): number {
  return Object.values(judgments).filter((grade) => grade > 0).length;
}
