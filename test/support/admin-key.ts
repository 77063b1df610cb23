import { hashApiKey } from '#shared/auth/api-key-format.ts';

/**
 * The settings that make `key` the bootstrap admin key: only its SHA-256, as deployed.
 * Tests keep a readable key of their own and present it as a bearer token.
 */
export function adminKeySettings(key: string): { ADMIN_API_KEY_SHA256: string } {
  return { ADMIN_API_KEY_SHA256: hashApiKey(key) };
}
