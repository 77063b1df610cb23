import * as z from 'zod';

/**
 * The tenant id rule, the only copy of it: 1-63 lowercase letters, digits or dashes,
 * starting with a letter or digit. No colon and no dot, so a tenant is exactly one segment
 * of a Redis key (`agent:{tenant}:…`) and of an API key (`apk.{tenant}.…`).
 */
export const TENANT_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isTenant(value: string): boolean {
  return TENANT_PATTERN.test(value);
}

/** A tenant id in a request; the message is part of the API's 400 answer. */
export const tenantSchema = z
  .string()
  .regex(TENANT_PATTERN, 'must be 1-63 lowercase letters, digits or dashes');
