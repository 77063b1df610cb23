import { type Scope, scopes } from './scopes.ts';

/** A caller holding a tenant's API key. */
export interface ApiKeyPrincipal {
  kind: 'api-key';
  tenant: string;
  keyId: string;
  scopes: Scope[];
  /**
   * The user the key acts for, when it was created with a `userId`: such a key speaks
   * for that user only. Absent: the key names the user on each call.
   */
  userId?: string;
}

/**
 * The platform operator: the bootstrap admin key from the settings secret. Holds every
 * scope and may act on any tenant (onboarding, incidents); `tenant` is `ADMIN_TENANT`.
 */
export interface OperatorPrincipal {
  kind: 'operator';
  tenant: string;
}

/** A Slack user in a workspace installed for `tenant`. */
export interface SlackPrincipal {
  kind: 'slack';
  tenant: string;
  teamId: string;
  userId: string;
  enterpriseId?: string;
}

/**
 * Who is calling. Route code asks it (`tenantOf`, `hasScope`, `isOperator`) rather than
 * reading headers or comparing ids, so a new kind of caller is one more case here.
 */
export type Principal = ApiKeyPrincipal | OperatorPrincipal | SlackPrincipal;

/**
 * The id logs and the per-key rate limit know the operator by: the bootstrap key has no
 * stored record, and this is the name it has always had there.
 */
export const OPERATOR_KEY_ID = 'bootstrap';

/** What a Slack actor may do: talk to the assistant, nothing else. */
const SLACK_SCOPES: readonly Scope[] = ['chat'];

export function tenantOf(principal: Principal): string {
  return principal.tenant;
}

export function isOperator(principal: Principal): principal is OperatorPrincipal {
  return principal.kind === 'operator';
}

/** The scopes the caller holds; `admin` implies every other one within its tenant. */
export function scopesOf(principal: Principal): readonly Scope[] {
  switch (principal.kind) {
    case 'operator':
      return scopes;
    case 'api-key':
      return principal.scopes;
    case 'slack':
      return SLACK_SCOPES;
  }
}

export function hasScope(principal: Principal, required: Scope): boolean {
  const granted = scopesOf(principal);
  return granted.includes('admin') || granted.includes(required);
}

/** Whether the caller may act on `tenant`: its own, or any for the operator. */
export function mayActOn(principal: Principal, tenant: string): boolean {
  return tenant === principal.tenant || isOperator(principal);
}

/** The id of the API key behind the call (`bootstrap` for the operator), for logs. */
export function keyIdOf(principal: Principal): string | undefined {
  switch (principal.kind) {
    case 'operator':
      return OPERATOR_KEY_ID;
    case 'api-key':
      return principal.keyId;
    case 'slack':
      return undefined;
  }
}
