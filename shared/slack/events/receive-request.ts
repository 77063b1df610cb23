import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Config } from '../../platform/config/index.ts';
import { NotConfiguredError } from '../../platform/errors/index.ts';
import { logger } from '../../platform/logging/logger.ts';
import type { Services } from '../../platform/services.ts';
import { SlackPayloadError, SlackSignatureError } from '../errors.ts';
import { createSlackReceiver, type ReceivedPayload } from './bolt-receiver.ts';
import { blockActionsSchema, eventCallbackSchema } from './envelope.ts';
import { takeEvent } from './take-event.ts';
import { takeVote } from './take-vote.ts';

/** Slack signs with a timestamp; one more than this ahead of our clock is not Slack's. */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

let receiver: { secret: string; instance: ReturnType<typeof createSlackReceiver> } | undefined;

/** The input of the events route: the raw request and the container's services. */
export interface SlackRequest {
  event: APIGatewayProxyEvent;
  rawBody: Buffer;
  services: Services;
  config: Config;
  requestId: string;
}

/**
 * `POST /slack/events`, the Events API and interactivity URL: Bolt's receiver verifies the
 * request, then an event is taken (tenant, settings, dedupe, queue) or a feedback vote
 * stored, and only then is Slack acknowledged, empty 200. A bad, missing or stale
 * signature is 401 with nothing run; an unparsable signed body 400; a failure to reach
 * Redis or the queue 503, which Slack retries.
 */
export async function receiveSlackRequest(request: SlackRequest): Promise<APIGatewayProxyResult> {
  const { config, services, requestId } = request;
  // A request without Slack's headers cannot be Slack's, configured or not.
  const timestamp = headerOf(request.event, 'x-slack-request-timestamp');
  if (!timestamp || !headerOf(request.event, 'x-slack-signature')) throw new SlackSignatureError();
  if (isFromTheFuture(Number(timestamp))) throw new SlackSignatureError();
  if (!config.slack) throw new NotConfiguredError(['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN']);
  if (receiver?.secret !== config.slack.signingSecret) {
    receiver = {
      secret: config.slack.signingSecret,
      instance: createSlackReceiver(config.slack.signingSecret),
    };
  }
  const deps = {
    // Read when an event needs it: `url_verification` works before Redis is configured.
    get redis() {
      return services.redis;
    },
    queues: services.queues,
    defaultTenant: config.slackApp.defaultTenant,
  };
  const result = await receiver.instance.receive(
    // The exact bytes as text: the receiver signs what it is given.
    { ...request.event, body: request.rawBody.toString('utf8'), isBase64Encoded: false },
    (payload) => dispatch(deps, payload, requestId),
  );
  switch (result.kind) {
    case 'answered':
      return result.response;
    case 'invalid-signature':
      throw new SlackSignatureError();
    case 'unparsable':
      if (!result.signed) throw new SlackSignatureError();
      throw new SlackPayloadError('not JSON or form-encoded JSON', { cause: result.error });
    case 'failed':
      throw result.error;
  }
}

async function dispatch(
  deps: Parameters<typeof takeEvent>[0],
  payload: ReceivedPayload,
  requestId: string,
): Promise<void> {
  const retry =
    payload.retryNum === undefined
      ? {}
      : { retryNum: payload.retryNum, retryReason: payload.retryReason };
  const type = (payload.body as { type?: unknown } | null)?.type;
  if (type === 'event_callback') {
    const envelope = eventCallbackSchema.safeParse(payload.body);
    if (!envelope.success) throw new SlackPayloadError('an event_callback without its event');
    const outcome = await takeEvent(deps, envelope.data);
    const fields = {
      requestId,
      eventId: envelope.data.event_id,
      eventType: envelope.data.event.type,
      ...retry,
      ...outcome,
    };
    if (outcome.outcome === 'unmapped') logger.warn('slack event not answered', fields);
    else logger.info('slack event', fields);
    return;
  }
  if (type === 'block_actions') {
    const actions = blockActionsSchema.safeParse(payload.body);
    if (!actions.success)
      throw new SlackPayloadError('a block_actions payload without its actions');
    const outcome = await takeVote(deps, actions.data);
    const fields = { requestId, payloadType: type, ...outcome };
    if (outcome.outcome === 'unmapped') logger.warn('slack feedback not stored', fields);
    else logger.info('slack feedback', fields);
    return;
  }
  logger.info('slack payload ignored', { requestId, payloadType: String(type), ...retry });
}

function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  return Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}

function isFromTheFuture(timestamp: number): boolean {
  return Number.isFinite(timestamp) && timestamp - Date.now() / 1000 > MAX_CLOCK_SKEW_SECONDS;
}
