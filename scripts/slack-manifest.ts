/**
 * Prints the Slack app manifest (`slack/manifest.json`) with the events and
 * interactivity URLs pointing at a deployed API:
 *
 *   npm run slack:manifest -- https://abc123.execute-api.eu-west-1.amazonaws.com/dev/
 *
 * Paste the output into "Create New App → From an app manifest" at api.slack.com/apps.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { slackEventsRoute } from '#shared/slack/api/events-route.ts';

interface Manifest {
  settings: {
    event_subscriptions: { request_url: string };
    interactivity: { request_url: string };
  };
}

const program = new Command()
  .name('slack:manifest')
  .description("Prints the Slack app manifest with the deployed API's URLs")
  .argument(
    '<api-url>',
    "the stack's ApiUrl output, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/dev/",
  )
  .action((apiUrl: string) => {
    const url = URL.parse(apiUrl);
    if (url?.protocol !== 'https:' || !url) {
      return program.error('The API URL must be an https URL (the ApiUrl output of `cdk deploy`).');
    }
    const base = url.href.endsWith('/') ? url.href : `${url.href}/`;
    const eventsUrl = new URL(slackEventsRoute.path.slice(1), base).href;
    const manifest = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '../slack/manifest.json'), 'utf8'),
    ) as Manifest;
    manifest.settings.event_subscriptions.request_url = eventsUrl;
    manifest.settings.interactivity.request_url = eventsUrl;
    console.log(JSON.stringify(manifest, null, 2));
  });

program.parse();
