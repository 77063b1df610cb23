import type { Config } from '../../platform/config/index.ts';
import { sharedOpenAiClient } from '../../platform/model/openai-client.ts';
import type { ChatModel } from './chat-model.ts';
import { createOfflineAnswerer } from './offline-answerer.ts';
import { createOpenAiChatModel } from './openai-chat-model.ts';

const models = new WeakMap<Config, ChatModel>();

/**
 * The container's chat model for this configuration: the configured OpenAI-compatible
 * model when an API key is set, the offline answerer otherwise.
 */
export function getChatModel(config: Config): ChatModel {
  let model = models.get(config);
  if (!model) {
    const { apiKey, chatModel, timeoutMs, maxRetries } = config.openai;
    model = apiKey
      ? createOpenAiChatModel({
          client: sharedOpenAiClient(config.openai),
          model: chatModel,
          timeoutMs,
          maxRetries,
        })
      : createOfflineAnswerer();
    models.set(config, model);
  }
  return model;
}
