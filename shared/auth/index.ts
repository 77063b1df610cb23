export type { Principal } from '../platform/principal/principal.ts';
export { hasScope, type Scope, scopeSchema, scopes } from '../platform/principal/scopes.ts';
export { newAdminKey } from './admin-key.ts';
export {
  type ApiKeyRecord,
  createApiKey,
  listApiKeys,
  type NewApiKey,
  revokeApiKey,
  verifyApiKey,
} from './api-key-store.ts';
export { authenticate } from './authenticate.ts';
export {
  ApiKeyNotFoundError,
  ForbiddenError,
  KeyExpiredError,
  UnauthorizedError,
} from './errors.ts';
export { createKeyFor, targetTenant } from './manage-keys.ts';
