/**
 * BM25 postings (`slot << 8 | tf`, slot-ordered per term) as varints, the form a stored
 * snapshot keeps them in: per posting, the gap to the previous slot doubled, plus one
 * when the term frequency is above 1 (then one byte of it follows). Most gaps of common
 * terms fit one byte, so this is about 40% of the 32-bit entries.
 */

/**
 * Encodes consecutive lists (`termCounts[i]` postings each, back to back in `postings`);
 * `offsets[i]` is where list `i` starts in `bytes`, `offsets[termCounts.length]` the end.
 */
export function encodePostingLists(
  postings: Uint32Array,
  termCounts: Uint32Array,
): { bytes: Uint8Array; offsets: Uint32Array } {
  const bytes = new Uint8Array(postings.length * 5 + 16);
  const offsets = new Uint32Array(termCounts.length + 1);
  let at = 0;
  let index = 0;
  for (const [term, count] of termCounts.entries()) {
    offsets[term] = at;
    let previous = -1;
    for (let i = 0; i < count; i += 1) {
      const entry = postings[index++] as number;
      const slot = entry >>> 8;
      const tf = entry & 0xff;
      let value = (slot - previous) * 2 + (tf > 1 ? 1 : 0);
      previous = slot;
      while (value >= 0x80) {
        bytes[at++] = (value & 0x7f) | 0x80;
        value >>>= 7;
      }
      bytes[at++] = value;
      if (tf > 1) bytes[at++] = tf;
    }
  }
  offsets[termCounts.length] = at;
  return { bytes: bytes.subarray(0, at), offsets };
}

/** One list of `count` postings; throws a `RangeError` unless `bytes` hold exactly that. */
export function decodePostingList(bytes: Uint8Array, count: number): Uint32Array {
  const postings = new Uint32Array(count);
  let at = 0;
  let slot = -1;
  for (let i = 0; i < count; i += 1) {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[at++] as number;
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && shift < 35);
    const tf = value & 1 ? (bytes[at++] as number) : 1;
    slot += value >>> 1;
    postings[i] = ((slot << 8) | tf) >>> 0;
  }
  if (at !== bytes.length) throw new RangeError('posting list of another length');
  return postings;
}
