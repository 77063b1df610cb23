import { defineRoute } from '../../platform/http/route.ts';

/**
 * Slack sends events of a few KB; interactivity payloads carry the whole message they
 * come from (blocks included), which stays well under this.
 */
const SLACK_MAX_BODY_BYTES = 256 * 1024;

/** The Events API and interactivity endpoint: authenticated by Slack's signature. */
export const slackEventsRoute = defineRoute({
  operationId: 'slackEvents',
  method: 'POST',
  path: '/slack/events',
  summary: 'Slack Events API and interactivity requests (signed by Slack)',
  tags: ['slack'],
  access: 'public',
  rateLimited: false,
  maxBodyBytes: SLACK_MAX_BODY_BYTES,
  responses: {
    200: { description: 'Acknowledged (empty), or the `url_verification` challenge' },
    401: { description: '`invalid_signature`: missing, wrong or stale Slack signature' },
    503: { description: 'Redis or the queue is unavailable; Slack retries' },
  },
});
