/** Vectors quantised to int8 with one float32 scale each, as stored and held in memory. */
export interface QuantizedVectors {
  /** `count * dimensions` values. */
  values: Int8Array;
  scales: Float32Array;
}

/**
 * Quantises unit vectors to int8, symmetric per vector (`scale = max|x| / 127`): a
 * quarter of float32's size, and in the benchmark the top-10 barely moves (see
 * `bench/search`, "int8 recall@10").
 */
export function quantize(vectors: readonly Float32Array[], dimensions: number): QuantizedVectors {
  const values = new Int8Array(vectors.length * dimensions);
  const scales = new Float32Array(vectors.length);
  vectors.forEach((vector, row) => {
    let max = 0;
    for (const value of vector) max = Math.max(max, Math.abs(value));
    const scale = max / 127 || 1;
    scales[row] = scale;
    const offset = row * dimensions;
    for (let i = 0; i < dimensions; i += 1) {
      values[offset + i] = Math.round((vector[i] as number) / scale);
    }
  });
  return { values, scales };
}

/** Text-safe form for Redis (the REST client decodes replies as UTF-8, so no raw bytes). */
export function encodeQuantized(vectors: QuantizedVectors): { values: string; scales: string } {
  return {
    values: Buffer.from(
      vectors.values.buffer,
      vectors.values.byteOffset,
      vectors.values.byteLength,
    ).toString('base64'),
    scales: Buffer.from(
      vectors.scales.buffer,
      vectors.scales.byteOffset,
      vectors.scales.byteLength,
    ).toString('base64'),
  };
}

export function decodeQuantized(encoded: { values: string; scales: string }): QuantizedVectors {
  const values = Buffer.from(encoded.values, 'base64');
  const scales = Buffer.from(encoded.scales, 'base64');
  // Copies, so the typed arrays are aligned and do not pin the decoding buffers.
  return {
    values: new Int8Array(
      values.buffer.slice(values.byteOffset, values.byteOffset + values.length),
    ),
    scales: new Float32Array(
      scales.buffer.slice(scales.byteOffset, scales.byteOffset + scales.length),
    ),
  };
}
