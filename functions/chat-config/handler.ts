import { apiHandler } from '#shared/app/handlers.ts';
import { targetTenant } from '#shared/auth/index.ts';
import {
  listPromptPresets,
  type PromptSettingKind,
  readPromptSetting,
  resetPromptSetting,
  writePromptSetting,
} from '#shared/chat/prompt-settings/index.ts';
import {
  instructionsRoutes,
  type PromptSettingRoutes,
  personaRoutes,
  presetsRoute,
} from '#shared/chat/prompt-settings/routes.ts';
import {
  getSearchSettingsRoute,
  putSearchSettingsRoute,
  resetSearchSettingsRoute,
} from '#shared/knowledge/search-settings/routes.ts';
import {
  readSearchSettings,
  resetSearchSettings,
  writeSearchSettings,
} from '#shared/knowledge/search-settings/store.ts';
import { implement } from '#shared/platform/http/route.ts';

/** Read, set and reset one kind; the operator may name another tenant with `?tenant=`. */
const settingRoutes = (kind: PromptSettingKind, routes: PromptSettingRoutes) => [
  implement(routes.get, async ({ services, principal, query }) => ({
    status: 200,
    body: await readPromptSetting(services.redis, targetTenant(principal, query.tenant), kind),
  })),
  implement(routes.put, async ({ services, principal, query, body }) => ({
    status: 200,
    body: await writePromptSetting(
      services.redis,
      targetTenant(principal, query.tenant),
      kind,
      body.text,
    ),
  })),
  implement(routes.reset, async ({ services, principal, query }) => {
    await resetPromptSetting(services.redis, targetTenant(principal, query.tenant), kind);
    return { status: 204 };
  }),
];

/**
 * `/v1/config/*`: the assistant's persona and instructions and the hybrid search weight
 * (scope `admin`), presets (`chat`).
 */
export const handler = apiHandler([
  ...settingRoutes('persona', personaRoutes),
  ...settingRoutes('instructions', instructionsRoutes),
  implement(presetsRoute, async () => ({ status: 200, body: listPromptPresets() })),
  implement(getSearchSettingsRoute, async ({ services, principal, query }) => ({
    status: 200,
    body: await readSearchSettings(services.redis, targetTenant(principal, query.tenant)),
  })),
  implement(putSearchSettingsRoute, async ({ services, principal, query, body }) => ({
    status: 200,
    body: await writeSearchSettings(
      services.redis,
      targetTenant(principal, query.tenant),
      body.vectorWeight,
    ),
  })),
  implement(resetSearchSettingsRoute, async ({ services, principal, query }) => {
    await resetSearchSettings(services.redis, targetTenant(principal, query.tenant));
    return { status: 204 };
  }),
]);
