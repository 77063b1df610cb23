export { TenancyError } from './errors.ts';
export {
  GLOBAL_KEYS,
  globalKeys,
  KEY_PREFIX,
  type TenantKeys,
  tenantKeys,
  tenantOfKey,
} from './keys.ts';
export { isTenant, TENANT_PATTERN, tenantSchema } from './tenant.ts';
