import type { ReceiverEvent } from '@slack/bolt';
import receiverModule from '@slack/bolt/dist/receivers/AwsLambdaReceiver.js';
import { isValidSlackRequest } from '@slack/bolt/dist/receivers/verify-request.js';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { quietSlackLogger } from '../quiet-logger.ts';

type ReceiverClass = typeof receiverModule.default;

/**
 * Bolt's `AwsLambdaReceiver` on the raw HTTP stack: it checks the v0 signature (HMAC of
 * the exact body and timestamp with the signing secret; missing, wrong or older than 5
 * minutes is refused), answers `url_verification`, parses JSON and form-encoded payloads
 * and hands the rest to `process`, which acknowledges. Imported from its own module, not
 * Bolt's index: the index loads the whole framework (Express, the Web API client, Socket
 * Mode), which would multiply the events function's bundle and cold start.
 *
 * The module is CommonJS with `exports.default`: Node hands over the whole
 * `module.exports`, some loaders (vitest) the class itself; either way this finds it.
 */
const AwsLambdaReceiver: ReceiverClass =
  (receiverModule as unknown as { default?: ReceiverClass }).default ??
  (receiverModule as unknown as ReceiverClass);

/** What one request gives the app: its parsed payload and Slack's retry headers. */
export interface ReceivedPayload {
  body: unknown;
  retryNum: number | undefined;
  retryReason: string | undefined;
}

/** What a receiver call ended in. */
export type ReceiverResult =
  | { kind: 'answered'; response: APIGatewayProxyResult }
  | { kind: 'invalid-signature' }
  | { kind: 'unparsable'; signed: boolean; error: unknown }
  | { kind: 'failed'; error: unknown };

interface Pending {
  process(payload: ReceivedPayload): Promise<void>;
  error?: unknown;
  invalidSignature?: boolean;
}

/**
 * One receiver per signing secret (a rotated secret gets a new one), and the request
 * each call is about, found again by its event object inside the receiver's callbacks.
 */
export function createSlackReceiver(signingSecret: string) {
  const pending = new WeakMap<object, Pending>();
  const receiver = new AwsLambdaReceiver({
    signingSecret,
    logger: quietSlackLogger,
    customPropertiesExtractor: (awsEvent) => ({ request: awsEvent }),
    invalidRequestSignatureHandler: ({ awsEvent }) => {
      const state = pending.get(awsEvent);
      if (state) state.invalidSignature = true;
    },
  });
  // The receiver's "app" is the one method it calls: Bolt's App (and its listener
  // middleware) is not needed to acknowledge and queue, and would cost its cold start.
  receiver.init({
    processEvent: async (event: ReceiverEvent) => {
      const state = pending.get(event.customProperties?.request as object);
      if (!state) throw new Error('a Slack request arrived without its state');
      try {
        await state.process({
          body: event.body,
          retryNum: event.retryNum === undefined ? undefined : Number(event.retryNum),
          retryReason: event.retryReason,
        });
        await event.ack();
      } catch (error) {
        state.error = error;
        throw error;
      }
    },
  } as unknown as Parameters<typeof receiver.init>[0]);
  const handler = receiver.toHandler();

  return {
    /**
     * Runs one request through the receiver. `event` carries the exact body as text (the
     * receiver's own base64 decoding is ASCII-only, so the caller decodes it).
     */
    async receive(
      event: APIGatewayProxyEvent,
      process: Pending['process'],
    ): Promise<ReceiverResult> {
      const state: Pending = { process };
      pending.set(event, state);
      let response: APIGatewayProxyResult;
      try {
        response = await handler(event, {} as never);
      } catch (error) {
        // Only parsing runs before the signature check: a body that is not JSON or form.
        return { kind: 'unparsable', signed: isSigned(signingSecret, event), error };
      }
      if (state.invalidSignature) return { kind: 'invalid-signature' };
      if (state.error !== undefined) return { kind: 'failed', error: state.error };
      return { kind: 'answered', response };
    },
  };
}

function isSigned(signingSecret: string, event: APIGatewayProxyEvent): boolean {
  const header = (name: string) =>
    Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
  return isValidSlackRequest({
    signingSecret,
    body: event.body ?? '',
    headers: {
      'x-slack-signature': header('x-slack-signature') ?? '',
      'x-slack-request-timestamp': Number(header('x-slack-request-timestamp')),
    },
  });
}
