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
