import { inflateRawSync } from 'node:zlib';

/** Values per slot in `locations`: block (bit 16: own metadata), meta start, text start, end. */
export const LOCATION_STRIDE = 4;
/** In `locations`: the chunk has metadata of its own, so a metadata filter must decode it. */
export const OWN_METADATA = 0x1_0000;
/** Decoded blocks kept per namespace (of 16K characters: about 4 MB). */
const CACHED_BLOCKS = 256;

/** A chunk's stored fields: metadata JSON (see `chunkMetaJson`) and text. */
export interface ChunkSource {
  meta: string;
  text: string;
  ownMetadata: boolean;
}

/**
 * The chunks of a namespace restored from a stored snapshot, kept as compressed blocks
 * of text (raw deflate of UTF-8, each holding whole chunks: metadata JSON then text) and
 * decoded a block at a time when a hit, a filter or a removal needs a chunk. A cold load
 * thus neither inflates nor builds an object per chunk, and the text stays a third of
 * its size in memory; the last blocks used are kept decoded.
 *
 * A cold load may also leave the blocks in Redis: the owner then loads the ones it needs
 * ({@link missingBlocks}, {@link addBlock}) before reading their chunks, and all of them
 * at once when it can ({@link setBlocks}).
 */
export class PackedChunks {
  private blocks: Uint8Array | undefined;
  /** Blocks loaded one by one while `blocks` is not there yet. */
  private readonly loaded = new Map<number, Uint8Array>();
  private readonly blockOffsets: Uint32Array;
  private readonly locations: Uint32Array;
  private readonly decoded = new Map<number, string>();

  /**
   * `blockOffsets` says where each block starts in the blocks back to back (plus the
   * end), `locations` holds four values per slot (see {@link LOCATION_STRIDE}), and
   * `blocks`, when given, the blocks themselves.
   */
  constructor(blockOffsets: Uint32Array, locations: Uint32Array, blocks?: Uint8Array) {
    this.blockOffsets = blockOffsets;
    this.locations = locations;
    this.blocks = blocks;
  }

  get slots(): number {
    return this.locations.length / LOCATION_STRIDE;
  }

  /** Whether every block is in memory. */
  get complete(): boolean {
    return this.blocks !== undefined;
  }

  /** Byte range `[start, end)` of a block within the blocks back to back. */
  blockRange(index: number): [number, number] {
    return [this.blockOffsets[index] as number, this.blockOffsets[index + 1] as number];
  }

  /** The blocks holding these slots that are not in memory, each once. */
  missingBlocks(slots: Iterable<number>): number[] {
    if (this.blocks) return [];
    const missing = new Set<number>();
    for (const slot of slots) {
      const index = this.blockOf(slot);
      if (!this.loaded.has(index)) missing.add(index);
    }
    return [...missing];
  }

  addBlock(index: number, bytes: Uint8Array): void {
    const [start, end] = this.blockRange(index);
    if (bytes.length !== end - start) throw new RangeError('text block of another size');
    if (!this.blocks) this.loaded.set(index, bytes);
  }

  /** Every block, back to back. */
  setBlocks(blocks: Uint8Array): void {
    if (blocks.length !== (this.blockOffsets.at(-1) ?? 0)) {
      throw new RangeError('text blocks of another size');
    }
    this.blocks = blocks;
    this.loaded.clear();
  }

  ownMetadata(slot: number): boolean {
    return ((this.locations[slot * LOCATION_STRIDE] as number) & OWN_METADATA) !== 0;
  }

  /** A slot's stored fields; its block must be in memory. */
  source(slot: number): ChunkSource {
    const at = slot * LOCATION_STRIDE;
    const block = this.block(this.blockOf(slot));
    const textStart = this.locations[at + 2] as number;
    return {
      meta: block.slice(this.locations[at + 1], textStart),
      text: block.slice(textStart, this.locations[at + 3]),
      ownMetadata: this.ownMetadata(slot),
    };
  }

  private blockOf(slot: number): number {
    return (this.locations[slot * LOCATION_STRIDE] as number) & 0xffff;
  }

  private block(index: number): string {
    let text = this.decoded.get(index);
    if (text === undefined) {
      text = inflateRawSync(this.compressed(index)).toString('utf8');
      if (this.decoded.size >= CACHED_BLOCKS) {
        this.decoded.delete(this.decoded.keys().next().value as number);
      }
    } else {
      this.decoded.delete(index);
    }
    this.decoded.set(index, text);
    return text;
  }

  private compressed(index: number): Uint8Array {
    if (this.blocks) {
      const [start, end] = this.blockRange(index);
      return this.blocks.subarray(start, end);
    }
    const loaded = this.loaded.get(index);
    if (!loaded) throw new Error(`text block ${index} was read before it was loaded`);
    return loaded;
  }
}
