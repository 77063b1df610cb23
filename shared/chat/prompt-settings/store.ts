import { type Redis, redisCall } from '../../platform/redis/index.ts';
import { tenantKeys } from '../../platform/tenancy/index.ts';
import type { PromptSettingKind, PromptSettingView } from './kinds.ts';
import { decodeSetting, encodeSetting } from './stored-setting.ts';

/** The persona or instructions in effect for `tenant`: its own, else the default. */
export async function readPromptSetting(
  redis: Redis,
  tenant: string,
  kind: PromptSettingKind,
): Promise<PromptSettingView> {
  const key = tenantKeys(tenant).promptSettings;
  return decodeSetting(kind, await redisCall(() => redis.hget(key, kind)));
}

/**
 * Sets the tenant's persona or instructions; `text` is already validated (see
 * `promptTextSchema`). One field write, so the other kind is untouched and the next chat
 * turn on any container reads the new text.
 */
export async function writePromptSetting(
  redis: Redis,
  tenant: string,
  kind: PromptSettingKind,
  text: string,
  now = new Date(),
): Promise<PromptSettingView> {
  const key = tenantKeys(tenant).promptSettings;
  await redisCall(() => redis.hset(key, { [kind]: encodeSetting(text, now) }));
  return { text, source: 'tenant', updatedAt: now.toISOString() };
}

/** Puts the default back in effect; nothing to reset is not an error. */
export async function resetPromptSetting(
  redis: Redis,
  tenant: string,
  kind: PromptSettingKind,
): Promise<void> {
  const key = tenantKeys(tenant).promptSettings;
  await redisCall(() => redis.hdel(key, kind));
}
