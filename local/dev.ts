import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { newAdminKey } from '#shared/auth/admin-key.ts';
import { ConfigError, loadConfigFromEnv } from '#shared/platform/config/index.ts';
import { startApiServer } from './api-server.ts';
import { startDevSlack } from './dev-slack.ts';
import { startLocalRedisStack } from './local-stack.ts';
import { isRedisServerInstalled } from './redis-server.ts';

/**
 * `npm run dev`: the platform on localhost. Starts redis-server (data under `.data/`) and
 * the Upstash-compatible gateway unless Upstash is configured, then serves every handler.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');

  const usesUpstash = Boolean(process.env.UPSTASH_REDIS_REST_URL);
  const stops: (() => Promise<void>)[] = [];
  if (!usesUpstash) {
    if (!isRedisServerInstalled()) {
      console.error(
        'redis-server is not installed. Install it, then run `npm run dev` again:\n' +
          '  Debian/Ubuntu: sudo apt-get install -y redis-server\n' +
          '  macOS:         brew install redis\n' +
          'Or set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN in .env to use Upstash.',
      );
      process.exit(1);
    }
    const dataDir = resolve(process.env.DEV_DATA_DIR ?? '.data/redis');
    const stack = await startLocalRedisStack({ dataDir });
    stops.push(() => stack.stop());
    process.env.UPSTASH_REDIS_REST_URL = stack.url;
    process.env.UPSTASH_REDIS_REST_TOKEN = stack.token;
  }

  if (process.env.ADMIN_API_KEY) {
    console.warn(
      'ADMIN_API_KEY is no longer read: put the SHA-256 of the key in ADMIN_API_KEY_SHA256 (npm run admin-key makes a key and its hash).',
    );
  }
  // Without a configured bootstrap key hash, this session gets a fresh key so /v1 is usable;
  // the settings hold only its hash, as in AWS.
  const sessionAdminKey = process.env.ADMIN_API_KEY_SHA256 ? undefined : newAdminKey();
  if (sessionAdminKey) process.env.ADMIN_API_KEY_SHA256 = sessionAdminKey.sha256;

  // Without Slack settings, the Slack path runs against a local stand-in for its Web API.
  const slackStandIn =
    process.env.SLACK_BOT_TOKEN || process.env.SLACK_SIGNING_SECRET
      ? undefined
      : await startDevSlack();
  if (slackStandIn) stops.push(() => slackStandIn.stop());

  const config = loadConfigFromEnv();
  const port = Number(process.env.PORT ?? 3000);
  const api = await startApiServer({ port, stage: config.stage });
  stops.push(() => api.close());

  console.log(`Agent platform ${config.stage} API on ${api.url}`);
  console.log(
    `Redis: ${usesUpstash ? 'Upstash (from .env)' : `local redis-server, data in ${process.env.DEV_DATA_DIR ?? '.data/redis'}`}`,
  );
  console.log(
    `Models: ${config.openai.apiKey ? `OpenAI-compatible (${config.openai.chatModel})` : 'offline mode (no OPENAI_API_KEY)'}`,
  );
  console.log(`Try it:\n  export AGENT_API_URL=${api.url}\n  curl -s $AGENT_API_URL/health`);
  if (sessionAdminKey) {
    console.log(
      `Admin API key for this session only (set ADMIN_API_KEY_SHA256 in .env to keep one; npm run admin-key makes one):\n  export AGENT_API_KEY=${sessionAdminKey.key}\n  curl -s -H "Authorization: Bearer $AGENT_API_KEY" $AGENT_API_URL/v1/keys\nThen the README's "Chat" section: add a document, ask a question, stream the answer.`,
    );
  } else {
    console.log(`  curl -s -H "Authorization: Bearer $AGENT_API_KEY" $AGENT_API_URL/v1/keys`);
  }

  console.log(
    slackStandIn
      ? `Slack: a local stand-in for its Web API (${slackStandIn.url}); the worker runs in-process and its calls print here. Try:\n  npm run slack:send -- mention "What is our travel policy?"`
      : `Slack: events at ${api.url}/slack/events, answers through ${config.slackApp.apiUrl ?? "Slack's Web API"}`,
  );

  const shutdown = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      'The port is already in use; set PORT to another one, e.g. PORT=3001 npm run dev',
    );
  } else {
    console.error(error);
  }
  process.exit(1);
});
