import * as z from 'zod';
import { otherTenant } from '../../auth/routes.ts';
import { noQuery } from '../../platform/http/common-schemas.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { PROMPT_SETTING_MAX_CHARS, type PromptSettingKind, promptTextSchema } from './kinds.ts';

const settingViewSchema = z.object({
  text: z.string(),
  source: z.enum(['tenant', 'default']).describe('`default` until the tenant sets its own'),
  updatedAt: z.string().nullable().describe('When the tenant set it; `null` for the default'),
});

const presetSchema = z.object({ name: z.string(), title: z.string(), text: z.string() });

const tenantQuery = z.object({ tenant: otherTenant }).strict();

const TITLES: Readonly<Record<PromptSettingKind, string>> = {
  persona: 'Persona',
  instructions: 'Instructions',
};

/**
 * The `GET`, `PUT` and `DELETE` routes of one kind under `/v1/config/{kind}`; both kinds
 * have the same shapes and differ only in their length cap.
 */
function promptSettingRoutes(kind: PromptSettingKind) {
  const path = `/v1/config/${kind}` as const;
  const title = TITLES[kind];
  const what = kind === 'persona' ? "the assistant's persona" : "the assistant's core instructions";
  return {
    get: defineRoute({
      operationId: `get${title}`,
      method: 'GET',
      path,
      summary: `Read ${what}: the tenant's own, or the default`,
      tags: ['config'],
      access: 'admin',
      query: tenantQuery,
      responses: { 200: { description: `The ${kind} in effect`, schema: settingViewSchema } },
    }),
    put: defineRoute({
      operationId: `put${title}`,
      method: 'PUT',
      path,
      summary: `Set ${what}; the next chat turn uses it`,
      tags: ['config'],
      access: 'admin',
      query: tenantQuery,
      body: z.object({ text: promptTextSchema(kind) }).strict(),
      // Every character escaped as \uXXXX is 6 bytes; the cap is on characters, not bytes.
      maxBodyBytes: PROMPT_SETTING_MAX_CHARS[kind] * 6 + 1024,
      responses: { 200: { description: `The ${kind} now in effect`, schema: settingViewSchema } },
    }),
    reset: defineRoute({
      operationId: `reset${title}`,
      method: 'DELETE',
      path,
      summary: `Put the default ${kind} back in effect`,
      tags: ['config'],
      access: 'admin',
      query: tenantQuery,
      responses: { 204: { description: 'The default is in effect' } },
    }),
  };
}

/** The routes of one kind: read, set and reset. */
export type PromptSettingRoutes = ReturnType<typeof promptSettingRoutes>;

export const personaRoutes: PromptSettingRoutes = promptSettingRoutes('persona');
export const instructionsRoutes: PromptSettingRoutes = promptSettingRoutes('instructions');

export const presetsRoute = defineRoute({
  operationId: 'listPromptPresets',
  method: 'GET',
  path: '/v1/config/presets',
  summary: 'Ready-made personas and instructions to start from',
  tags: ['config'],
  access: 'chat',
  query: noQuery,
  responses: {
    200: {
      description: 'Presets; pass a text to `PUT /v1/config/persona` or `/v1/config/instructions`',
      schema: z.object({ personas: z.array(presetSchema), instructions: z.array(presetSchema) }),
    },
  },
});

/** Every `/v1/config` route, in the order `/openapi.json` lists them. */
export const configRoutes = [
  personaRoutes.get,
  personaRoutes.put,
  personaRoutes.reset,
  instructionsRoutes.get,
  instructionsRoutes.put,
  instructionsRoutes.reset,
  presetsRoute,
] as const;
