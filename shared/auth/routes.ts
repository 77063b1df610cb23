import * as z from 'zod';
import { noQuery } from '../platform/http/common-schemas.ts';
import { defineRoute } from '../platform/http/route.ts';
import { scopeSchema } from '../platform/principal/scopes.ts';
import { userIdSchema } from '../platform/principal/user-id.ts';
import { tenantSchema } from '../platform/tenancy/index.ts';

/**
 * `?tenant=` on admin routes: only the bootstrap admin key may name another tenant
 * (checked by `targetTenant`); default: the caller's.
 */
export const otherTenant = tenantSchema
  .optional()
  .describe("Only the bootstrap admin key may act on another tenant; default: the caller's");

/** Long-lived keys are how leaks stay useful; two years bounds even a forgotten one. */
const MAX_KEY_LIFETIME_DAYS = 730;
const DAY_MS = 24 * 60 * 60 * 1000;

const expiresAtSchema = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() > Date.now(), 'must be in the future')
  .refine(
    (date) => date.getTime() <= Date.now() + MAX_KEY_LIFETIME_DAYS * DAY_MS,
    `must be at most ${MAX_KEY_LIFETIME_DAYS} days ahead`,
  )
  .describe(
    `When the key stops working (ISO 8601, in the future, at most ${MAX_KEY_LIFETIME_DAYS} days ahead); default: never`,
  );

const apiKeyRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  tenant: z.string(),
  scopes: z.array(scopeSchema),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  userId: z.string().nullable().describe('The user the key acts for; `null`: any, named per call'),
});

export const createKeyRoute = defineRoute({
  operationId: 'createApiKey',
  method: 'POST',
  path: '/v1/keys',
  summary: 'Create an API key (shown once)',
  tags: ['keys'],
  access: 'admin',
  query: noQuery,
  body: z
    .object({
      name: z.string().trim().min(1).max(100),
      scopes: z
        .array(scopeSchema)
        .min(1)
        .max(4)
        .refine((values) => new Set(values).size === values.length, 'must not repeat a scope'),
      tenant: tenantSchema
        .optional()
        .describe(
          "Only the bootstrap admin key may create keys for another tenant; default: the caller's",
        ),
      expiresAt: expiresAtSchema.optional(),
      userId: userIdSchema
        .optional()
        .describe(
          'Binds the key to this user: chat calls with it act as this user only; default: not bound',
        ),
    })
    .strict(),
  maxBodyBytes: 4 * 1024,
  responses: {
    201: {
      description: 'The new key; `key` is never shown again',
      schema: apiKeyRecordSchema.extend({ key: z.string() }),
    },
    409: { description: '`quota_exceeded`: the tenant already has TENANT_MAX_API_KEYS live keys' },
  },
});

export const listKeysRoute = defineRoute({
  operationId: 'listApiKeys',
  method: 'GET',
  path: '/v1/keys',
  summary: "List the tenant's API keys (never the keys themselves)",
  tags: ['keys'],
  access: 'admin',
  query: z.object({ tenant: otherTenant }).strict(),
  responses: {
    200: { description: 'Keys', schema: z.object({ keys: z.array(apiKeyRecordSchema) }) },
  },
});

export const revokeKeyRoute = defineRoute({
  operationId: 'revokeApiKey',
  method: 'DELETE',
  path: '/v1/keys/{id}',
  summary: 'Revoke an API key; the next request using it gets 401',
  tags: ['keys'],
  access: 'admin',
  params: z.object({ id: z.string().regex(/^[0-9a-f]{16}$/, 'must be a key id') }).strict(),
  query: z.object({ tenant: otherTenant }).strict(),
  responses: {
    204: { description: 'Revoked' },
    404: { description: 'No such key in this tenant' },
  },
});
