/**
 * Makes a bootstrap admin key and prints it with the SHA-256 the settings hold instead:
 *
 *   npm run admin-key
 *
 * Put the hash in `.env` (ADMIN_API_KEY_SHA256) and keep the key; it is printed once.
 * For a deployed stage, `npm run settings:put -- --new-admin-key` does both in one step.
 */
import { newAdminKey } from '#shared/auth/admin-key.ts';

const { key, sha256 } = newAdminKey();
console.log(`Admin API key (shown once; keep it in a password manager):\n  ${key}`);
console.log(`For the settings:\n  ADMIN_API_KEY_SHA256=${sha256}`);
