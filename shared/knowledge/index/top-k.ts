/**
 * Keeps the `capacity` highest-scoring ids seen, in a binary min-heap, so selecting the
 * top k of n scores costs O(n log k) and no sort of n.
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

  /** The score a candidate must beat to enter once the heap is full. */
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
    } else if (score > (this.scores[0] as number)) {
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
      if ((this.scores[parent] as number) <= (this.scores[i] as number)) return;
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
      if (left < this.size && (this.scores[left] as number) < (this.scores[smallest] as number))
        smallest = left;
      if (right < this.size && (this.scores[right] as number) < (this.scores[smallest] as number))
        smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
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
