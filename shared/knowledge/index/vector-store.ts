import { createDotKernel, type DotKernel } from './int8-dot-kernel.ts';

const PAGE = 65_536;

/**
 * Rows of int8 vector values, padded to a stride that is a multiple of 16, kept in
 * WebAssembly memory so the SIMD kernel can score them all in one call. Without SIMD
 * support it keeps a plain array and scores with an integer loop in JavaScript instead;
 * both give the same integer dot products.
 */
export class VectorStore {
  readonly dimensions: number;
  readonly stride: number;
  private readonly kernel: DotKernel | undefined;
  private capacity = 0;
  /** Byte offset of the rows in kernel memory (after the query's int16 values). */
  private readonly rowsOffset: number;
  private rows: Int8Array = new Int8Array(0);

  constructor(dimensions: number, options: { simd?: boolean } = {}) {
    this.dimensions = dimensions;
    this.stride = Math.max(16, Math.ceil(dimensions / 16) * 16);
    this.kernel = options.simd === false ? undefined : createDotKernel();
    this.rowsOffset = this.stride * 2;
  }

  get usesSimd(): boolean {
    return this.kernel !== undefined;
  }

  /** Makes room for `rows` rows, keeping the existing ones. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    let capacity = Math.max(64, this.capacity);
    while (capacity < rows) capacity *= 2;
    if (this.kernel) {
      const needed = this.rowsOffset + capacity * this.stride + capacity * 4;
      const { memory } = this.kernel;
      const missing = Math.ceil((needed - memory.buffer.byteLength) / PAGE);
      if (missing > 0) memory.grow(missing);
      // Growing detaches the old buffer; the contents stay, so a new view suffices.
      this.rows = new Int8Array(memory.buffer, this.rowsOffset, capacity * this.stride);
    } else {
      const next = new Int8Array(capacity * this.stride);
      next.set(this.rows);
      this.rows = next;
    }
    this.capacity = capacity;
  }

  /** Writes one row (`dimensions` values; the padding stays zero). */
  set(row: number, values: Int8Array): void {
    if (values.length < this.dimensions) throw new RangeError('short vector row');
    this.rows.set(values.subarray(0, this.dimensions), row * this.stride);
  }

  /** Writes `count` rows from packed values (`count * dimensions`, row after row). */
  setRows(start: number, values: Int8Array, count: number): void {
    const { dimensions, stride } = this;
    if (values.length < count * dimensions) throw new RangeError('short vector rows');
    if (stride === dimensions) {
      this.rows.set(values.subarray(0, count * dimensions), start * stride);
      return;
    }
    for (let row = 0; row < count; row += 1) {
      this.rows.set(
        values.subarray(row * dimensions, (row + 1) * dimensions),
        (start + row) * stride,
      );
    }
  }

  /**
   * The bytes of rows `0..count-1` to write in place, when rows are packed (the
   * dimension a multiple of 16); `undefined` otherwise. Valid until the store grows.
   */
  packedRows(count: number): Uint8Array | undefined {
    if (this.stride !== this.dimensions || count > this.capacity) return undefined;
    return new Uint8Array(this.rows.buffer, this.rows.byteOffset, count * this.stride);
  }

  /** One row's `dimensions` values, as a view of the store (valid until it grows). */
  row(row: number): Int8Array {
    const start = row * this.stride;
    return this.rows.subarray(start, start + this.dimensions);
  }

  /** A copy of one row's `dimensions` values. */
  get(row: number): Int8Array {
    const start = row * this.stride;
    return this.rows.slice(start, start + this.dimensions);
  }

  /** Clears rows from `from` on, so reused rows start from zero padding. */
  clearFrom(from: number): void {
    this.rows.fill(0, from * this.stride);
  }

  /**
   * Integer dot products of the query (scaled to integers) with rows `0..count-1`.
   * Divide by `scale` (and multiply by a row's own scale) to get the cosine.
   */
  dots(query: Float32Array, count: number): { dots: Int32Array; scale: number } {
    const { integers, scale } = integerQuery(query, this.stride);
    if (!this.kernel) return { dots: this.dotsInJs(integers, count), scale };
    const { memory } = this.kernel;
    new Int16Array(memory.buffer, 0, this.stride).set(integers);
    const out = this.rowsOffset + this.capacity * this.stride;
    this.kernel.dots(0, this.rowsOffset, this.stride, count, out);
    return { dots: new Int32Array(memory.buffer, out, count), scale };
  }

  /**
   * The same integer dot products as {@link dots}, for the listed rows only: a plain loop,
   * cheaper than a full scan for a few hundred rows.
   */
  dotsOf(query: Float32Array, rows: ArrayLike<number>): { dots: Int32Array; scale: number } {
    const { integers, scale } = integerQuery(query, this.stride);
    const dots = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i += 1) {
      dots[i] = this.rowDot(integers, (rows[i] as number) * this.stride);
    }
    return { dots, scale };
  }

  private dotsInJs(integers: Int16Array, count: number): Int32Array {
    const { stride } = this;
    const dots = new Int32Array(count);
    for (let row = 0, offset = 0; row < count; row += 1, offset += stride) {
      dots[row] = this.rowDot(integers, offset);
    }
    return dots;
  }

  private rowDot(integers: Int16Array, offset: number): number {
    const { rows, stride } = this;
    let a0 = 0;
    let a1 = 0;
    for (let j = 0; j < stride; j += 4) {
      const o = offset + j;
      a0 =
        (a0 +
          (integers[j] as number) * (rows[o] as number) +
          (integers[j + 1] as number) * (rows[o + 1] as number)) |
        0;
      a1 =
        (a1 +
          (integers[j + 2] as number) * (rows[o + 2] as number) +
          (integers[j + 3] as number) * (rows[o + 3] as number)) |
        0;
    }
    return (a0 + a1) | 0;
  }
}

/**
 * Scales a float query to int16 so that no row's sum can overflow int32: the sum has
 * `stride` products of at most `127 * max`, kept under 2^31. At 512 dimensions the
 * query keeps 15 bits, within 1e-4 of its float value.
 */
function integerQuery(
  query: Float32Array,
  stride: number,
): { integers: Int16Array; scale: number } {
  let max = 0;
  for (const value of query) max = Math.max(max, Math.abs(value));
  const limit = Math.min(32_767, Math.floor((2 ** 31 - 1) / (127 * stride)));
  const scale = max > 0 ? limit / max : 1;
  const integers = new Int16Array(stride);
  for (let i = 0; i < query.length; i += 1) integers[i] = Math.round((query[i] as number) * scale);
  return { integers, scale };
}
