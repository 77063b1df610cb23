import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `apk.<tenant>.<id>.<secret>`: the tenant and id locate the stored
 * record (so every Redis key stays under its tenant), the 256-bit secret proves possession.
 * Only the SHA-256 of the whole key is stored.
 */
const KEY_PATTERN = /^apk\.([a-z0-9][a-z0-9-]{0,62})\.([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  tenant: string;
  id: string;
}

export function generateApiKey(tenant: string): { key: string; id: string; hash: string } {
  const id = randomBytes(8).toString('hex');
  const key = `apk.${tenant}.${id}.${randomBytes(32).toString('base64url')}`;
  return { key, id, hash: hashApiKey(key) };
}

export function parseApiKey(key: string): ParsedApiKey | undefined {
  const match = KEY_PATTERN.exec(key);
  if (!match?.[1] || !match[2]) return undefined;
  return { tenant: match[1], id: match[2] };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Compares two hex digests in constant time. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
