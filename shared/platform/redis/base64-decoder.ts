/**
 * Base64 decoding of text held as bytes, as it comes off a socket: WebAssembly assembled
 * from `base64-decode.wat` by `scripts/build-wasm.ts`. Node decodes only strings, and
 * making a string of a multi-megabyte reply, then decoding it, cost a cold index load
 * more than moving the bytes did.
 */
export const DECODER_BASE64 =
  'AGFzbQEAAAABBwFgAn9/AX8DAgEABQMBAAEHEwIGbWVtb3J5AgAGZGVjb2RlAAAK+AQB9QQCCn8DeyABQQNxBEBBfw8LIAFFBEBBAA8LIAAhAiAAIQQgACABaiEDIANBAWstAABBPUYEQEEBIQsgA0ECay0AAEE9RgRAQQIhCwsgA0EEayEDCyACQRBqIANNBEADQCAC/QAEACEMIAxBBP1tIQ0gDv0MFRERERERERERERMaGxsbGiAM/QwPDw8PDw8PDw8PDw8PDw8P/U79Dv0MEBABAgQIBAgQEBAQEBAQECAN/Q79Tv1QIQ4gDP0MABATBL+/ubkAAAAAAAAAACANIAz9DC8vLy8vLy8vLy8vLy8vLy/9I/1u/Q79biEMIAxBCP2NASAM/Qz/AP8A/wD/AP8A/wD/AP8A/U5BBv2LAf1Q/QwAEAEAABABAAAQAQAAEAEA/boBIQwgBCAMIAz9DQIBAAYFBAoJCA4NDAAAAAD9CwQAIAJBEGohAiAEQQxqIQQgAkEQaiADTQ0ACwsCQANAIAIgA08NASACKAIAIQUgBUH/AXEtAAAhByAFQQh2Qf8BcS0AACEIIAVBEHZB/wFxLQAAIQkgBUEYdi0AACEKIAYgByAIciAJIApycnIhBiAEIAdBAnQgCEEEdnIgCEEEdCAJQQJ2ckH/AXFBCHQgCUEGdCAKckH/AXFBEHRycjYCACACQQRqIQIgBEEDaiEEDAALCyALBEAgAi0AAC0AACEHIAItAAEtAAAhCCAGIAcgCHJyIQYgBCAHQQJ0IAhBBHZyOgAAIARBAWohBCALQQFGBEAgAi0AAi0AACEJIAYgCXIhBiAEIAhBBHQgCUECdnI6AAAgBEEBaiEECwsgBkGAAXEgDv1TcgRAQX8PCyAEIABrCwuHAgEAQQALgAL/////////////////////////////////////////////////////////Pv///z80NTY3ODk6Ozw9/////////wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZ////////GhscHR4fICEiIyQlJicoKSorLC0uLzAxMjP/////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////';

const PAGE = 65_536;
/** The table of character values at the start of memory; replies are loaded after it. */
const TABLE_BYTES = 256;

interface DecoderExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  decode(at: number, length: number): number;
}

// The compiler's lib has no WebAssembly declarations; these are the two calls made here.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let shared: Base64Decoder | undefined;

/**
 * A decoder with one buffer, reused from reply to reply: {@link load} a reply's bytes,
 * then {@link decodeInto} the spans of it that are base64, without awaiting in between
 * (the next `load` overwrites the buffer).
 */
export class Base64Decoder {
  private readonly exports: DecoderExports;

  private constructor() {
    const bytes = Buffer.from(DECODER_BASE64, 'base64');
    this.exports = new wasm.Instance(new wasm.Module(bytes)).exports as DecoderExports;
  }

  /** The process's decoder (one is enough: a reply is decoded in one synchronous step). */
  static shared(): Base64Decoder {
    shared ??= new Base64Decoder();
    return shared;
  }

  /** Copies `size` bytes of `chunks` into the buffer and returns a view of them. */
  load(chunks: readonly Uint8Array[], size: number): Uint8Array {
    const { memory } = this.exports;
    const missing = Math.ceil((TABLE_BYTES + size - memory.buffer.byteLength) / PAGE);
    if (missing > 0) memory.grow(missing);
    const view = new Uint8Array(memory.buffer, TABLE_BYTES, size);
    let at = 0;
    for (const chunk of chunks) {
      view.set(chunk, at);
      at += chunk.length;
    }
    return view;
  }

  /**
   * Decodes `[start, end)` of the loaded bytes (destroying them) into `target`: `true`
   * when they are padded base64 of exactly `target.length` bytes, else `false` and
   * `target` is left as it was.
   */
  decodeInto(start: number, end: number, target: Uint8Array): boolean {
    const decoded = this.exports.decode(TABLE_BYTES + start, end - start);
    if (decoded !== target.length) return false;
    target.set(new Uint8Array(this.exports.memory.buffer, TABLE_BYTES + start, decoded));
    return true;
  }
}
