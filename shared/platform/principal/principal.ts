import type { Scope } from './scopes.ts';

/** Who is calling: resolved from the API key on every `/v1` request. */
export interface Principal {
  /** The key's id, or `bootstrap` for the admin key from the settings secret. */
  keyId: string;
  tenant: string;
  scopes: Scope[];
}
