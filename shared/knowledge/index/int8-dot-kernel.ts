/**
 * The int8 dot-product kernel, WebAssembly with 128-bit SIMD: 16 vector values per step
 * instead of one. Assembled from `int8-dot.wat` by `scripts/build-wasm.ts`.
 */
export const KERNEL_BASE64 =
  'AGFzbQEAAAABCQFgBX9/f39/AAMCAQAFAwEAAQcRAgZtZW1vcnkCAARkb3RzAAAKtgEBswECBH8CeyABIQcCQANAIAUgA08NAf0MAAAAAAAAAAAAAAAAAAAAACEJQQAhBiAAIQgCQANAIAYgAk8NASAHIAZq/QAEACEKIAkgCv2HASAI/QAEAP26ASAK/YgBIAj9AAQQ/boB/a4B/a4BIQkgBkEQaiEGIAhBIGohCAwACwsgBCAFQQJ0aiAJ/RsAIAn9GwFqIAn9GwIgCf0bA2pqNgIAIAcgAmohByAFQQFqIQUMAAsLCw==';

/** The parts of WebAssembly's linear memory the index uses. */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** One kernel instance with its own linear memory. */
export interface DotKernel {
  readonly memory: KernelMemory;
  /** See `int8-dot.wat`: byte offsets into `memory`, `stride` a multiple of 16. */
  dots(query: number, values: number, stride: number, rows: number, out: number): void;
}

// The compiler's lib has no WebAssembly declarations; these are the few calls made here.
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

/** A new kernel instance, or `undefined` where the runtime lacks WebAssembly SIMD. */
export function createDotKernel(): DotKernel | undefined {
  if (compiled === undefined) {
    const bytes = Buffer.from(KERNEL_BASE64, 'base64');
    compiled = wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  if (compiled === null) return undefined;
  const instance = new wasm.Instance(compiled);
  const exports = instance.exports as unknown as DotKernel;
  return { memory: exports.memory, dots: exports.dots };
}
