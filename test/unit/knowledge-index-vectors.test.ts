import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import wabt from 'wabt';
import { KERNEL_BASE64 } from '#shared/knowledge/index/int8-dot-kernel.ts';
import { VectorStore } from '#shared/knowledge/index/vector-store.ts';

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

describe('int8 vector kernel', () => {
  it('is the assembly of int8-dot.wat', async () => {
    const source = readFileSync(
      new URL('../../shared/knowledge/index/int8-dot.wat', import.meta.url),
      'utf8',
    );
    const module = (await wabt()).parseWat('int8-dot.wat', source, { simd: true });
    const bytes = Buffer.from(module.toBinary({}).buffer).toString('base64');
    module.destroy();
    expect(bytes).toBe(KERNEL_BASE64);
  });

  it.each([16, 100, 512, 1536, 3072])(
    'gives the same dot products with and without SIMD at %i dimensions',
    (dims) => {
      // Prepare
      const next = seeded(dims);
      const rows = 300;
      const simd = new VectorStore(dims);
      const plain = new VectorStore(dims, { simd: false });
      simd.reserve(10);
      plain.reserve(10);
      const all: Int8Array[] = [];
      for (let row = 0; row < rows; row += 1) {
        // Extreme rows too: every value at ±127 is the overflow worst case.
        const values = Int8Array.from({ length: dims }, () =>
          row < 2 ? (row === 0 ? 127 : -127) : Math.round(next() * 254) - 127,
        );
        all.push(values);
        simd.reserve(row + 1);
        plain.reserve(row + 1);
        simd.set(row, values);
        plain.set(row, values);
      }
      const query = Float32Array.from({ length: dims }, () => next() * 2 - 1);
      query[0] = 1;

      // Act
      const fast = simd.dots(query, rows);
      const slow = plain.dots(query, rows);

      // Assess
      expect(simd.usesSimd).toBe(true);
      expect(Array.from(fast.dots)).toEqual(Array.from(slow.dots));
      for (let row = 0; row < rows; row += 5) {
        const exact = (all[row] as Int8Array).reduce(
          (sum, value, i) => sum + value * (query[i] as number),
          0,
        );
        expect((fast.dots[row] as number) / fast.scale).toBeCloseTo(
          exact,
          -Math.log10(dims * 0.02),
        );
        expect(Array.from(simd.get(row))).toEqual(Array.from(all[row] as Int8Array));
      }
    },
  );
});
