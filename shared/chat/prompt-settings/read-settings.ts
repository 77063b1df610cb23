import type { Pipeline } from '@upstash/redis';
import { hmgetReply } from '../../platform/redis/index.ts';
import { tenantKeys } from '../../platform/tenancy/index.ts';
import { PROMPT_SETTING_KINDS, type PromptSettingSource } from './kinds.ts';
import { decodeSetting } from './stored-setting.ts';

/** The persona and instructions a chat turn builds its system prompt from. */
export interface PromptSettings {
  persona: string;
  instructions: string;
  personaSource: PromptSettingSource;
  instructionsSource: PromptSettingSource;
}

/** Commands {@link queuePromptSettingsRead} adds to the pipeline. */
export const PROMPT_SETTINGS_READ_COMMANDS = 1;

/**
 * Queues the tenant's persona and instructions read (one HMGET) in the caller's pipeline
 * and returns the function that reads its reply, with the defaults applied, once the
 * pipeline has run. Nothing is cached across invocations, so a `PUT` applies to the very
 * next turn on every container, at no extra round trip.
 *
 * @example
 * ```ts
 * const pipeline = redis.pipeline();
 * const readSettings = queuePromptSettingsRead(pipeline, tenant);
 * // ... the turn's other reads ...
 * const settings = readSettings(await pipeline.exec());
 * ```
 */
export function queuePromptSettingsRead(
  pipeline: Pipeline,
  tenant: string,
): (replies: readonly unknown[]) => PromptSettings {
  const offset = pipeline.length();
  pipeline.hmget(tenantKeys(tenant).promptSettings, ...PROMPT_SETTING_KINDS);
  return (replies) => {
    const [persona, instructions] = hmgetReply(replies[offset], PROMPT_SETTING_KINDS);
    const personaView = decodeSetting('persona', persona);
    const instructionsView = decodeSetting('instructions', instructions);
    return {
      persona: personaView.text,
      instructions: instructionsView.text,
      personaSource: personaView.source,
      instructionsSource: instructionsView.source,
    };
  };
}
