import { type SlackCall, startSlackApiServer } from './slack-api-server.ts';
import { LOCAL_SIGNING_SECRET } from './slack-requests.ts';

/**
 * Under `npm run dev` without Slack settings in `.env`: the local Slack Web API stand-in,
 * with the settings that point the Slack functions at it and a signing secret that
 * `npm run slack:send` also knows. Every Web API call the worker makes is printed, so
 * the streamed answer can be read in the terminal.
 */
export async function startDevSlack(): Promise<{ url: string; stop(): Promise<void> }> {
  const slack = await startSlackApiServer({ onCall: printCall });
  process.env.SLACK_API_URL = slack.url;
  process.env.SLACK_BOT_TOKEN = slack.token;
  process.env.SLACK_SIGNING_SECRET = LOCAL_SIGNING_SECRET;
  // The sample workspace is nobody's yet: its events go to the admin key's tenant.
  process.env.SLACK_DEFAULT_TENANT ||= process.env.ADMIN_TENANT || 'default';
  return { url: slack.url, stop: () => slack.close() };
}

function printCall({ method, args }: SlackCall): void {
  const where = [args.channel ?? args.channel_id, args.thread_ts ?? args.ts ?? args.timestamp]
    .filter((part) => part !== undefined)
    .join(' ');
  const chunks = Array.isArray(args.chunks)
    ? args.chunks.map((chunk: { text?: string }) => chunk.text ?? '').join('')
    : '';
  const text = String(args.text ?? args.status ?? args.title ?? '') + chunks;
  console.log(`slack ${method} ${where}${text ? `: ${text}` : ''}`);
}
