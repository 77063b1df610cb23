import { runChatTurn } from '../../chat/turn/run-chat-turn.ts';
import { NotConfiguredError } from '../../platform/errors/index.ts';
import type { Services } from '../../platform/services.ts';
import type { SlackWorkerDeps } from './answer-event.ts';
import type { SlackApi } from './slack-api.ts';
import { createWebApi } from './web-api-client.ts';

let cached: { services: Services; deps: SlackWorkerDeps } | undefined;
let client: { key: string; api: SlackApi } | undefined;

/**
 * The worker's dependencies for the container's services: the Web API client (one per
 * bot token and API URL, so a rotated token gets a new one), the rate limiters, and the
 * chat turn on the same services.
 */
export function slackWorkerDeps(services: Services): SlackWorkerDeps {
  if (cached?.services === services) return cached.deps;
  const { slack, slackApp } = services.config;
  if (!slack) throw new NotConfiguredError(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
  const key = `${slack.botToken}\n${slackApp.apiUrl ?? ''}`;
  if (client?.key !== key) {
    client = { key, api: createWebApi({ token: slack.botToken, apiUrl: slackApp.apiUrl }) };
  }
  const deps: SlackWorkerDeps = {
    redis: services.redis,
    slack: client.api,
    rateLimiters: services.rateLimiters,
    turn: (request, hooks) => runChatTurn(services, request, hooks),
  };
  cached = { services, deps };
  return deps;
}
