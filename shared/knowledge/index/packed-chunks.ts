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
 */
export class PackedChunks {
  private readonly blocks: Uint8Array;
  private readonly blockOffsets: Uint32Array;
  private readonly locations: Uint32Array;
  private readonly decoded = new Map<number, string>();

  /**
   * `blocks` are the compressed blocks back to back, `blockOffsets` where each starts
   * (plus the end), `locations` four values per slot (see {@link LOCATION_STRIDE}).
   */
  constructor(blocks: Uint8Array, blockOffsets: Uint32Array, locations: Uint32Array) {
    this.blocks = blocks;
    this.blockOffsets = blockOffsets;
    this.locations = locations;
  }

  get slots(): number {
    return this.locations.length / LOCATION_STRIDE;
  }

  ownMetadata(slot: number): boolean {
    return ((this.locations[slot * LOCATION_STRIDE] as number) & OWN_METADATA) !== 0;
  }

  source(slot: number): ChunkSource {
    const at = slot * LOCATION_STRIDE;
    const block = this.block((this.locations[at] as number) & 0xffff);
    const textStart = this.locations[at + 2] as number;
    return {
      meta: block.slice(this.locations[at + 1], textStart),
      text: block.slice(textStart, this.locations[at + 3]),
      ownMetadata: this.ownMetadata(slot),
    };
  }

  private block(index: number): string {
    let text = this.decoded.get(index);
    if (text === undefined) {
      const start = this.blockOffsets[index] as number;
      const end = this.blockOffsets[index + 1] as number;
      text = inflateRawSync(this.blocks.subarray(start, end)).toString('utf8');
      if (this.decoded.size >= CACHED_BLOCKS) {
        this.decoded.delete(this.decoded.keys().next().value as number);
      }
    } else {
      this.decoded.delete(index);
    }
    this.decoded.set(index, text);
    return text;
  }
}
