import type { Connection } from './config/connection.ts';

/**
 * The user a chat command acts for: `--user`, else `AGENT_USER_ID` or the profile's.
 * Undefined is fine for a key bound to one user; the API says so otherwise.
 */
export function userOf(option: string | undefined, connection: Connection): string | undefined {
  return option ?? connection.userId;
}
