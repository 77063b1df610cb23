import * as z from 'zod';

/** Tenant names: lowercase letters, digits and dashes, as in every Redis key. */
export const tenantSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lowercase letters, digits or dashes');

/** A query string with no parameters: anything sent is rejected as unknown. */
export const noQuery = z.object({}).strict();

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
