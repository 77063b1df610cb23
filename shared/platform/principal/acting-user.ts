import { UserIdRequiredError, UserMismatchError } from './errors.ts';
import type { Principal } from './principal.ts';

/**
 * The user a call acts for. A key bound to a user (created with `userId`) acts only as
 * that user: naming no user means it, naming another is refused. Other callers (unbound
 * keys, the operator, a Slack principal's own user aside) must name the user.
 *
 * @throws UserMismatchError (403) when a bound key names another user
 * @throws UserIdRequiredError (400) when no user is named and the key is not bound
 */
export function actingUserId(principal: Principal, requested: string | undefined): string {
  const bound = boundUserOf(principal);
  if (bound !== undefined) {
    if (requested !== undefined && requested !== bound) throw new UserMismatchError();
    return bound;
  }
  if (requested === undefined) throw new UserIdRequiredError();
  return requested;
}

function boundUserOf(principal: Principal): string | undefined {
  switch (principal.kind) {
    case 'api-key':
      return principal.userId;
    case 'slack':
      return principal.userId;
    case 'operator':
      return undefined;
  }
}
