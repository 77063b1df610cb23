/**
 * Sends a correctly signed sample Slack event to `/slack/events`, so the Slack path can be
 * tried without Slack (under `npm run dev` the answer goes to the local Slack stand-in,
 * whose calls the dev server prints):
 *
 *   npm run slack:send -- mention "What is our travel policy?"
 *   npm run slack:send -- dm "Hello"
 *   npm run slack:send -- thread 1767225600.000100 "And for trains?"
 *
 * Signs with SLACK_SIGNING_SECRET from the environment or `.env`, else the one
 * `npm run dev` uses when `.env` has none.
 */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import {
  eventRequest,
  LOCAL_SIGNING_SECRET,
  SAMPLE_WORKSPACE,
  sampleEvents,
} from '#local/slack-requests.ts';
import { slackEventsRoute } from '#shared/slack/api/events-route.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

const program = new Command()
  .name('slack:send')
  .description('Sends a signed sample Slack event to the local (or another) API')
  .option('--url <url>', 'base URL of the API', `http://127.0.0.1:${process.env.PORT ?? 3000}`);

async function send(envelope: { event_id: string; event: { ts?: unknown } }): Promise<void> {
  const { url } = program.opts<{ url: string }>();
  const secret = process.env.SLACK_SIGNING_SECRET || LOCAL_SIGNING_SECRET;
  const request = eventRequest(secret, envelope);
  const response = await fetch(new URL(slackEventsRoute.path, url), {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const body = await response.text();
  console.log(`${response.status} ${body || '(empty: acknowledged)'}`);
  console.log(`event ${envelope.event_id}, message ts ${String(envelope.event.ts)}`);
}

program
  .command('mention')
  .description('someone mentions the bot in a channel')
  .argument('<text>')
  .action((text: string) => send(sampleEvents.mention(SAMPLE_WORKSPACE, text)));
program
  .command('dm')
  .description('someone writes to the bot in a DM')
  .argument('<text>')
  .action((text: string) => send(sampleEvents.directMessage(SAMPLE_WORKSPACE, text)));
program
  .command('thread')
  .description('a reply without a mention in a thread the bot answered in')
  .argument('<thread-ts>', 'the ts the mention printed')
  .argument('<text>')
  .action((threadTs: string, text: string) =>
    send(sampleEvents.threadReply(SAMPLE_WORKSPACE, threadTs, text)),
  );

await program.parseAsync();
