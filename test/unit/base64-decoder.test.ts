import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import wabt from 'wabt';
import { Base64Decoder, DECODER_BASE64 } from '#shared/platform/redis/base64-decoder.ts';

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

function randomBytes(length: number, seed: number): Uint8Array {
  const next = seeded(seed);
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) bytes[i] = Math.floor(next() * 256);
  return bytes;
}

/** Decodes `text` (given as bytes, after `before` other bytes) into a target of `size`. */
function decode(
  text: Uint8Array,
  size: number,
  before = 0,
): { valid: boolean; target: Uint8Array } {
  const decoder = Base64Decoder.shared();
  decoder.load([new Uint8Array(before).fill(65), text], before + text.length);
  const target = new Uint8Array(size).fill(7);
  const valid = decoder.decodeInto(before, before + text.length, target);
  return { valid, target };
}

const ascii = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));

describe('base64 decoder', () => {
  it('is the assembly of base64-decode.wat', async () => {
    const source = readFileSync(
      new URL('../../shared/platform/redis/base64-decode.wat', import.meta.url),
      'utf8',
    );
    const module = (await wabt()).parseWat('base64-decode.wat', source, { simd: true });
    const bytes = Buffer.from(module.toBinary({}).buffer).toString('base64');
    module.destroy();
    expect(bytes).toBe(DECODER_BASE64);
  });

  it('decodes every length from 0 to 100 bytes as Node does', () => {
    for (let length = 0; length <= 100; length += 1) {
      for (const before of [0, 1, 5]) {
        // Prepare
        const bytes = randomBytes(length, length * 31 + before);
        const text = Buffer.from(bytes).toString('base64');
        const expected = Buffer.from(text, 'base64');

        // Act
        const { valid, target } = decode(ascii(text), expected.length, before);

        // Assess
        expect(valid, `length ${length}`).toBe(true);
        expect(Buffer.from(target).equals(expected), `length ${length}`).toBe(true);
      }
    }
  });

  it('decodes every character of the alphabet in every position of a block', () => {
    // Prepare
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let text = '';
    for (let shift = 0; shift < 16; shift += 1) {
      text += alphabet.slice(shift) + alphabet.slice(0, shift);
    }
    const expected = Buffer.from(text, 'base64');

    // Act
    const { valid, target } = decode(ascii(text), expected.length);

    // Assess
    expect(valid).toBe(true);
    expect(Buffer.from(target).equals(expected)).toBe(true);
  });

  it.each([1 << 20, (1 << 20) + 1, (1 << 20) + 2, 3_000_001])(
    'decodes %i bytes as Node does',
    (length) => {
      // Prepare
      const bytes = randomBytes(length, length);
      const text = Buffer.from(bytes).toString('base64');

      // Act
      const { valid, target } = decode(ascii(text), length, 3);

      // Assess
      expect(valid).toBe(true);
      expect(Buffer.from(target).equals(Buffer.from(bytes))).toBe(true);
    },
  );

  it('rejects a bad character at every position', () => {
    const bytes = randomBytes(30, 99);
    const text = Buffer.from(bytes).toString('base64');
    expect(text).toHaveLength(40);
    for (const bad of [0x2d, 0x5f, 0x20, 0x0a, 0x3d, 0x00, 0x40, 0x7f, 0x80, 0xff]) {
      for (let at = 0; at < text.length; at += 1) {
        // '=' in the last two places is padding, which the next test covers.
        if (bad === 0x3d && at >= text.length - 2) continue;
        // Prepare
        const chars = ascii(text);
        chars[at] = bad;

        // Act
        const { valid, target } = decode(chars, 30);

        // Assess
        expect(valid, `byte ${bad} at ${at}`).toBe(false);
        expect(target.every((byte) => byte === 7)).toBe(true);
      }
    }
  });

  it('accepts padding only at the end', () => {
    expect(decode(ascii('QUJD'), 3).valid).toBe(true);
    expect(decode(ascii('QUI='), 2).valid).toBe(true);
    expect(decode(ascii('QQ=='), 1).valid).toBe(true);
    expect(decode(ascii('Q==='), 0).valid).toBe(false);
    expect(decode(ascii('===='), 0).valid).toBe(false);
    expect(decode(ascii('QQ=A'), 2).valid).toBe(false);
    expect(decode(ascii('QQ==QUJD'), 6).valid).toBe(false);
    expect(decode(ascii(`QQ==${'QUJD'.repeat(8)}`), 27).valid).toBe(false);
    expect(decode(ascii(`${'QUJD'.repeat(8)}QQ==QUJD`), 30).valid).toBe(false);
  });

  it('rejects a length that is not a multiple of 4', () => {
    const text = Buffer.from(randomBytes(48, 5)).toString('base64');
    for (let cut = 1; cut < 4; cut += 1) {
      for (const length of [cut, 4 + cut, 16 + cut, 32 + cut, 60 + cut]) {
        const chars = ascii(text.slice(0, length));
        expect(decode(chars, Math.floor((length * 3) / 4)).valid, `length ${length}`).toBe(false);
      }
    }
  });

  it('rejects a target of the wrong length and leaves it as it was', () => {
    const text = Buffer.from(randomBytes(50, 11)).toString('base64');
    for (const size of [0, 49, 51, 100]) {
      const { valid, target } = decode(ascii(text), size);
      expect(valid).toBe(false);
      expect(target.every((byte) => byte === 7)).toBe(true);
    }
  });
});
