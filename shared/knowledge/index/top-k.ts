/**
 * Keeps the `capacity` highest-scoring ids seen, in a binary min-heap, so selecting the
 * top k of n scores costs O(n log k) and no sort of n. Equal scores rank the lower id
 * higher, in the heap as in the result, so the k kept do not depend on the order of the
 * pushes: an exhaustive scan and a pruned one that scores in another order agree.
 */
export class TopK {
  readonly capacity: number;
  private readonly scores: Float64Array;
  private readonly ids: Int32Array;
  private size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.scores = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  /** The score a candidate must beat (or equal with a lower id) to enter once full. */
  get threshold(): number {
    return this.size < this.capacity ? Number.NEGATIVE_INFINITY : (this.scores[0] as number);
  }

  push(id: number, score: number): void {
    if (this.capacity === 0) return;
    if (this.size < this.capacity) {
      this.scores[this.size] = score;
      this.ids[this.size] = id;
      this.size += 1;
      this.siftUp(this.size - 1);
    } else if (this.worse(0, score, id)) {
      this.scores[0] = score;
      this.ids[0] = id;
      this.siftDown(0);
    }
  }

  /** Entries from best to worst; ties keep the lower id first. */
  sorted(): { id: number; score: number }[] {
    const entries: { id: number; score: number }[] = [];
    for (let i = 0; i < this.size; i += 1) {
      entries.push({ id: this.ids[i] as number, score: this.scores[i] as number });
    }
    return entries.sort((a, b) => b.score - a.score || a.id - b.id);
  }

  private siftUp(start: number): void {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.below(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(start: number): void {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.size && this.below(left, smallest)) smallest = left;
      if (right < this.size && this.below(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  /** Whether the entry at `index` ranks below (`score`, `id`). */
  private worse(index: number, score: number, id: number): boolean {
    const own = this.scores[index] as number;
    return own < score || (own === score && (this.ids[index] as number) > id);
  }

  private below(a: number, b: number): boolean {
    return this.worse(a, this.scores[b] as number, this.ids[b] as number);
  }

  private swap(a: number, b: number): void {
    const score = this.scores[a] as number;
    this.scores[a] = this.scores[b] as number;
    this.scores[b] = score;
    const id = this.ids[a] as number;
    this.ids[a] = this.ids[b] as number;
    this.ids[b] = id;
  }
}
