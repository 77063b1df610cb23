import * as z from 'zod';

/** Names that would reach an object's prototype instead of being stored as a key. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A metadata key, for documents and for search filters alike: letters, digits and
 * `_ . : -`, and none of the names JavaScript objects reserve.
 */
export const metadataKeySchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'keys are letters, digits and _ . : -')
  .refine((key) => !RESERVED.has(key), 'is a reserved name');
