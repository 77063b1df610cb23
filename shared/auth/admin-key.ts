import { randomBytes } from 'node:crypto';
import { hashApiKey } from './api-key-format.ts';

/**
 * A new bootstrap admin key (256 random bits) and the SHA-256 the settings hold instead of
 * it. The key is shown once to whoever made it and kept nowhere.
 *
 * @example
 * const { key, sha256 } = newAdminKey();
 * process.env.ADMIN_API_KEY_SHA256 = sha256; // and print `key` once
 */
export function newAdminKey(): { key: string; sha256: string } {
  const key = randomBytes(32).toString('base64url');
  return { key, sha256: hashApiKey(key) };
}
