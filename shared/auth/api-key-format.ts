import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isTenant } from '../platform/tenancy/index.ts';

/**
 * API keys look like `apk.<tenant>.<id>.<secret>`: the tenant and id locate the stored
 * record (so every Redis key stays under its tenant), the 256-bit secret proves possession.
 * Only the SHA-256 of the whole key is stored.
 */
const KEY_ID = /^[0-9a-f]{16}$/;
const KEY_SECRET = /^[A-Za-z0-9_-]{43}$/;

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
  // No part can hold a dot (the tenant rule forbids it), so the dots split it exactly.
  const [scheme, tenant, id, secret, ...rest] = key.split('.');
  if (scheme !== 'apk' || rest.length > 0 || !tenant || !id || secret === undefined)
    return undefined;
  if (!isTenant(tenant) || !KEY_ID.test(id) || !KEY_SECRET.test(secret)) return undefined;
  return { tenant, id };
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
