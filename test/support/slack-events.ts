import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll } from 'vitest';
import { handler } from '#functions/slack-events/handler.ts';
import { toLambdaContext } from '#local/api-gateway-event.ts';
import type { SignedSlackRequest } from '#local/slack-requests.ts';
import { QueueUnavailableError } from '#shared/platform/errors/index.ts';
import {
  type QueueSender,
  releaseInProcessQueues,
  useInProcessQueues,
} from '#shared/platform/queues/queue-sender.ts';
import { proxyEvent } from './proxy-event.ts';

/** Calls the events function as API Gateway would, with a signed (or tampered) request. */
export async function postSlackEvent(request: SignedSlackRequest): Promise<APIGatewayProxyResult> {
  return handler(
    proxyEvent('POST', '/slack/events', request),
    // The handler's context type is what middy adds; Lambda passes a plain context.
    toLambdaContext('slack-events', 10) as never,
  ) as Promise<APIGatewayProxyResult>;
}

/**
 * Stands in for SQS for one test file: what the events function sends is recorded, and
 * `failNext` makes the next sends fail as an unreachable queue would.
 */
export function recordQueueSends() {
  const sent: { queue: string; message: Record<string, unknown> }[] = [];
  let failures = 0;
  const sender: QueueSender = {
    send: async (queue, message) => {
      if (failures > 0) {
        failures -= 1;
        // What the SQS sender throws when SQS refuses or cannot be reached.
        throw new QueueUnavailableError(queue);
      }
      sent.push({ queue, message: message as Record<string, unknown> });
    },
  };
  beforeAll(() => useInProcessQueues(sender));
  afterAll(() => releaseInProcessQueues(sender));
  return {
    sent,
    failNext(times = 1) {
      failures = times;
    },
  };
}
