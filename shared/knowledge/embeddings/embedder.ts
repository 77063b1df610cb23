/**
 * Turns texts into embedding vectors. Every implementation returns one unit-length
 * `Float32Array` of exactly {@link Embedder.dimensions} values per input, in input order.
 *
 * @example
 * ```ts
 * const embedder = createEmbedder(config);
 * const [vector] = await embedder.embed(['How do refunds work?']);
 * ```
 */
export interface Embedder {
  /** Names the model that made the vectors, e.g. `openai:text-embedding-3-small`. */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
}

export interface EmbedOptions {
  /**
   * Epoch milliseconds by which the caller must have its answer (the request's deadline);
   * no request or retry is started that could not finish before it.
   */
  deadline?: number | undefined;
  /** Aborts the request in flight and every retry (the caller has given up). */
  signal?: AbortSignal | undefined;
}

/** Scales a vector to unit length in place, so a dot product is the cosine similarity. */
export function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm === 0) return vector;
  for (let i = 0; i < vector.length; i += 1) vector[i] = (vector[i] as number) / norm;
  return vector;
}
