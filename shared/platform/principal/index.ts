export { actingUserId } from './acting-user.ts';
export { UserIdRequiredError, UserMismatchError } from './errors.ts';
export {
  type ApiKeyPrincipal,
  hasScope,
  isOperator,
  keyIdOf,
  mayActOn,
  OPERATOR_KEY_ID,
  type OperatorPrincipal,
  type Principal,
  type SlackPrincipal,
  scopesOf,
  tenantOf,
} from './principal.ts';
export { type Scope, scopeSchema, scopes } from './scopes.ts';
export { USER_ID_PATTERN, userIdSchema } from './user-id.ts';
