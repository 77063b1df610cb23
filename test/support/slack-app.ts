import { afterAll, beforeAll } from 'vitest';
import { type LocalApiServer, startApiServer } from '#local/api-server.ts';
import type { LocalQueue } from '#local/local-queue.ts';
import { type LocalOpenAiServer, startOpenAiServer } from '#local/openai-server.ts';
import { type LocalSlackApi, startSlackApiServer } from '#local/slack-api-server.ts';
import type { SignedSlackRequest } from '#local/slack-requests.ts';
import { resetConfigCache } from '#shared/platform/config/index.ts';
import { SLACK_QUEUE } from '#shared/slack/job.ts';
import { adminKeySettings } from './admin-key.ts';
import type { ApiFixture } from './local-api.ts';
import { useLocalRedis } from './local-redis.ts';

/** The Slack app as deployed, on local parts, for one test file. */
export interface SlackAppFixture {
  readonly api: ApiFixture;
  readonly slack: LocalSlackApi;
  readonly model: LocalOpenAiServer;
  readonly redis: ReturnType<typeof useLocalRedis>;
  /** The worker's in-process queue. */
  readonly queue: LocalQueue;
  readonly signingSecret: string;
  readonly adminKey: string;
  /** POSTs a signed request to `/slack/events`. */
  post(request: SignedSlackRequest): Promise<Response>;
}

/**
 * Every catalog function served by the local API server (the events function on
 * `/slack/events`, the worker on its in-process queue with a short visibility timeout so
 * redeliveries come quickly), pointed at a local Slack Web API, a local model server and
 * a private Redis. `env` adds settings.
 */
export function useSlackApp(env: Record<string, string> = {}): SlackAppFixture {
  const redis = useLocalRedis();
  const signingSecret = 'slack-app-test-signing-secret-0123456789';
  const adminKey = 'bootstrap-admin-key-for-slack-app-tests-0001';
  let server: LocalApiServer | undefined;
  let slack: LocalSlackApi | undefined;
  let model: LocalOpenAiServer | undefined;
  const previous: Record<string, string | undefined> = {};

  beforeAll(async () => {
    slack = await startSlackApiServer();
    model = await startOpenAiServer();
    const settings: Record<string, string> = {
      ...redis.settings(),
      ...adminKeySettings(adminKey),
      OPENAI_API_KEY: model.apiKey,
      OPENAI_BASE_URL: model.baseUrl,
      OPENAI_MAX_RETRIES: '0',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: slack.url,
      LOG_LEVEL: process.env.DEBUG_LOG ?? 'SILENT',
      ...env,
    };
    for (const [name, value] of Object.entries(settings)) {
      previous[name] = process.env[name];
      process.env[name] = value;
    }
    resetConfigCache();
    server = await startApiServer({ queueVisibilityTimeoutMs: 200 });
  });
  afterAll(async () => {
    await server?.close();
    await slack?.close();
    await model?.close();
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfigCache();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useSlackApp: only available inside tests');
    return value;
  };
  const api: ApiFixture = {
    get url() {
      return started(server).url;
    },
    request: (path, init) => fetch(`${started(server).url}${path}`, init),
  };
  return {
    api,
    redis,
    signingSecret,
    adminKey,
    get slack() {
      return started(slack);
    },
    get model() {
      return started(model);
    },
    get queue() {
      return started(started(server).queues.get(SLACK_QUEUE));
    },
    post: (request) =>
      api.request('/slack/events', {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      }),
  };
}
