import { AwsCallError, awsTarget, callAwsJson } from '../aws/aws-json-call.ts';
import { NotConfiguredError, QueueUnavailableError } from '../errors/index.ts';
import { queueUrlVariable } from './queue-url.ts';

/**
 * Hands messages to the catalog's queues: a function sends to the queues its catalog
 * entry lists in `sendsTo` (the CDK app grants `sqs:SendMessage` and sets their URLs).
 *
 * @example
 * await services.queues.send('slack-answers', { teamId, channel, ts });
 */
export interface QueueSender {
  /** Sends one JSON message; resolves once the queue has it. */
  send(queue: string, message: unknown): Promise<void>;
}

/** SQS refuses bodies over 256 KiB; a message this large is a bug, not an outage. */
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * Sends with SQS's `SendMessage` (JSON protocol, SigV4-signed over `node:https`, no AWS
 * SDK: see `callAwsJson`) to the URL in `QUEUE_URL_<NAME>`. A refusal or an unreachable
 * SQS is a 503 `queue_unavailable`, so the caller (and Slack, which retries) may try again.
 */
export function createSqsQueueSender(env: NodeJS.ProcessEnv = process.env): QueueSender {
  return {
    async send(queue, message) {
      const url = env[queueUrlVariable(queue)];
      if (!url) throw new NotConfiguredError([queueUrlVariable(queue)]);
      const body = JSON.stringify(message);
      if (Buffer.byteLength(body) > MAX_MESSAGE_BYTES) {
        throw new RangeError(`A ${queue} message is over SQS's 256 KiB limit.`);
      }
      try {
        await callAwsJson(
          awsTarget(env, 'sqs', 'SQS'),
          'AmazonSQS.SendMessage',
          { QueueUrl: url, MessageBody: body },
          { jsonVersion: '1.0' },
        );
      } catch (error) {
        if (error instanceof AwsCallError) throw new QueueUnavailableError(queue, { cause: error });
        throw error;
      }
    },
  };
}

let inProcess: QueueSender | undefined;

/**
 * Routes every send to an in-process sender instead of SQS: `npm run dev` and the tests
 * run queue functions on local queues in the same process.
 */
export function useInProcessQueues(sender: QueueSender): void {
  inProcess = sender;
}

/** Stops routing to `sender`, unless another has been registered since. */
export function releaseInProcessQueues(sender: QueueSender): void {
  if (inProcess === sender) inProcess = undefined;
}

/** The sender for this process: the in-process one if registered, else SQS. */
export function getQueueSender(env: NodeJS.ProcessEnv = process.env): QueueSender {
  return inProcess ?? createSqsQueueSender(env);
}
