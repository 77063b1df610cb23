import * as z from 'zod';
import { otherTenant } from '../../auth/routes.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { vectorWeightSchema } from '../index/search-schema.ts';

const PATH = '/v1/config/search';

const settingsViewSchema = z.object({
  vectorWeight: z
    .number()
    .nullable()
    .describe("The tenant's vector share of hybrid fusion; `null` while the defaults apply"),
  source: z.enum(['tenant', 'default']),
  updatedAt: z.string().nullable().describe('When the tenant set it; `null` for the defaults'),
  defaults: z
    .object({ offline: z.number(), semantic: z.number() })
    .describe("The default weight for the offline embedder's vectors and for a semantic model's"),
});

const tenantQuery = z.object({ tenant: otherTenant }).strict();

export const getSearchSettingsRoute = defineRoute({
  operationId: 'getSearchSettings',
  method: 'GET',
  path: PATH,
  summary: "Read the tenant's hybrid search weight, or the defaults in effect",
  tags: ['config'],
  access: 'admin',
  query: tenantQuery,
  responses: { 200: { description: 'The search settings', schema: settingsViewSchema } },
});

export const putSearchSettingsRoute = defineRoute({
  operationId: 'putSearchSettings',
  method: 'PUT',
  path: PATH,
  summary:
    "Set the vector share of hybrid fusion for the tenant's searches and chat turns (0: lexical order, 1: vector order); the next search uses it",
  tags: ['config'],
  access: 'admin',
  query: tenantQuery,
  body: z.object({ vectorWeight: vectorWeightSchema }).strict(),
  maxBodyBytes: 1024,
  responses: {
    200: { description: 'The search settings now in effect', schema: settingsViewSchema },
  },
});

export const resetSearchSettingsRoute = defineRoute({
  operationId: 'resetSearchSettings',
  method: 'DELETE',
  path: PATH,
  summary: "Put the embedder's default fusion weight back in effect",
  tags: ['config'],
  access: 'admin',
  query: tenantQuery,
  responses: { 204: { description: 'The defaults are in effect' } },
});

/** The `/v1/config/search` routes: read, set and reset. */
export const searchSettingsRoutes = [
  getSearchSettingsRoute,
  putSearchSettingsRoute,
  resetSearchSettingsRoute,
] as const;
