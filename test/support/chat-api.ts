import type { LocalOpenAiServer } from '#local/openai-server.ts';
import { adminKeySettings } from './admin-key.ts';
import { type ApiFixture, useLocalApi } from './local-api.ts';
import { useLocalModel } from './local-model.ts';
import { useLocalRedis } from './local-redis.ts';

export interface ChatApiFixture {
  api: ApiFixture;
  /** The local model server the platform calls; valid inside tests and hooks. */
  readonly model: LocalOpenAiServer;
}

/**
 * The API with a real redis-server and the local OpenAI-compatible model server, for one
 * test file; `adminKey` is its bootstrap admin key. Model calls are not retried unless
 * `settings` (applied last) say otherwise.
 */
export function useChatApi(
  adminKey: string,
  settings: Record<string, string> = {},
): ChatApiFixture {
  const model = useLocalModel();
  const redis = useLocalRedis();
  const api = useLocalApi(() => ({
    ...redis.settings(),
    ...adminKeySettings(adminKey),
    ...model.settings(),
    OPENAI_MAX_RETRIES: '0',
    LOG_LEVEL: 'SILENT',
    ...settings,
  }));
  return {
    api,
    get model() {
      return model.server;
    },
  };
}
