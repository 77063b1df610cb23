import * as z from 'zod';

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
