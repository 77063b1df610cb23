import type * as z from 'zod';
import { refusalIssue } from '../http/refusal-issue.ts';

/**
 * Most UTF-8 bytes of keys and values together in a document's metadata, from the
 * caller and the file alike. Every search hit carries its document's metadata, so this
 * is one of the terms that bound a search response (see `search-response-budget.ts`).
 */
export const METADATA_MAX_BYTES = 8 * 1024;

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).length;

/** UTF-8 bytes of every key and value. */
export function metadataBytes(metadata: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [key, value] of Object.entries(metadata)) total += byteLength(key) + byteLength(value);
  return total;
}

/**
 * The entries that fit in `budget` bytes, in order; the first that does not fit whole
 * keeps as much of its value as fits (never half a character), and the rest are left out.
 */
export function fitMetadata(
  entries: readonly (readonly [string, string])[],
  budget: number,
): [string, string][] {
  const kept: [string, string][] = [];
  let left = budget;
  for (const [key, value] of entries) {
    const cost = byteLength(key) + byteLength(value);
    if (cost <= left) {
      kept.push([key, value]);
      left -= cost;
      continue;
    }
    const room = left - byteLength(key);
    if (room > 0) kept.push([key, truncateToBytes(value, room)]);
    break;
  }
  return kept;
}

function truncateToBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    bytes += byteLength(character);
    if (bytes > maxBytes) break;
    end += character.length;
  }
  return text.slice(0, end);
}

/** Refuses metadata over {@link METADATA_MAX_BYTES} with 413 `metadata_too_large`. */
export function checkMetadataSize(
  metadata: Record<string, string>,
  context: z.RefinementCtx<Record<string, string>>,
): void {
  const bytes = metadataBytes(metadata);
  if (bytes <= METADATA_MAX_BYTES) return;
  context.addIssue({
    code: 'custom',
    message: `${bytes} bytes of keys and values; at most ${METADATA_MAX_BYTES}`,
    params: refusalIssue(413, 'metadata_too_large'),
  });
}
