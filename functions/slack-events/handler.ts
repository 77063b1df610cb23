import { rawHttpHandler } from '#shared/app/handlers.ts';
import { slackEventsRoute } from '#shared/slack/api/events-route.ts';
import { receiveSlackRequest } from '#shared/slack/events/receive-request.ts';

/**
 * POST /slack/events: verifies Slack's signature, takes the event (tenant, settings,
 * dedupe, queue) or stores a feedback vote, and acknowledges within Slack's 3 seconds.
 */
export const handler = rawHttpHandler({
  spec: slackEventsRoute,
  run: (input) => receiveSlackRequest(input),
});
