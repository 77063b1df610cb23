import { PlatformError } from '../platform/errors/index.ts';

/** A request to `/slack/events` whose signature is missing, wrong or older than 5 minutes. */
export class SlackSignatureError extends PlatformError {
  readonly statusCode = 401;
  readonly code = 'invalid_signature';

  constructor() {
    super('The request is not signed by Slack, or the signature is older than 5 minutes.');
    this.name = 'SlackSignatureError';
  }
}

/** A signed request whose body is not one Slack sends (not JSON, or not of a known shape). */
export class SlackPayloadError extends PlatformError {
  readonly statusCode = 400;
  readonly code = 'invalid_request';

  constructor(detail: string, options?: ErrorOptions) {
    super(`The Slack payload is not valid: ${detail}.`, options);
    this.name = 'SlackPayloadError';
  }
}

/**
 * A Slack Web API call failed. `slackError` is Slack's own code (`ratelimited`,
 * `channel_not_found`, …); the worker decides from it whether to fall back or retry.
 */
export class SlackApiCallError extends PlatformError {
  readonly statusCode = 502;
  readonly code = 'slack_unavailable';
  override readonly expose = false;
  readonly method: string;
  readonly slackError: string;

  constructor(method: string, slackError: string, options?: ErrorOptions) {
    super(`Slack ${method} failed: ${slackError}.`, options);
    this.name = 'SlackApiCallError';
    this.method = method;
    this.slackError = slackError;
  }
}

/** An admin route named a workspace mapping or channel setting that does not exist. */
export class SlackSettingNotFoundError extends PlatformError {
  readonly statusCode = 404;
  readonly code = 'not_found';

  constructor(what: string) {
    super(`No ${what}.`);
    this.name = 'SlackSettingNotFoundError';
  }
}

/**
 * Another delivery of the same event is between claiming it and queueing it (or died
 * there): answered 503 so Slack delivers it again, by when it is queued (and dropped) or
 * its claim has lapsed (and it is taken).
 */
export class SlackEventInFlightError extends PlatformError {
  readonly statusCode = 503;
  readonly code = 'event_in_progress';
  override readonly retryAfterSeconds = 30;

  constructor() {
    super('This event is being taken by another delivery. Retry shortly.');
    this.name = 'SlackEventInFlightError';
  }
}

/** Another worker is answering the same event (SQS delivered it twice at once). */
export class AnswerInProgressError extends PlatformError {
  readonly statusCode = 409;
  readonly code = 'answer_in_progress';

  constructor(eventId: string) {
    super(`Event ${eventId} is being answered by another delivery.`);
    this.name = 'AnswerInProgressError';
  }
}
