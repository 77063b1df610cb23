import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotConfiguredError, QueueUnavailableError } from '#shared/platform/errors/index.ts';
import { createSqsQueueSender } from '#shared/platform/queues/queue-sender.ts';
import { useLocalAwsEndpoint } from '../support/local-aws-endpoint.ts';

/**
 * A local SQS endpoint: messages are sent with a signed `AmazonSQS.SendMessage` call, not
 * through the SDK, so the boundary the test fakes is HTTP. It answers with `nextStatus`.
 */
let nextStatus = 200;
const sqs = useLocalAwsEndpoint<Record<string, unknown>>(
  () =>
    nextStatus === 200
      ? { status: 200, json: { MessageId: 'm-1', MD5OfMessageBody: 'x' } }
      : {
          status: nextStatus,
          json: { __type: 'com.amazonaws.sqs#AccessDenied', message: 'not allowed' },
        },
  'application/x-amz-json-1.0',
);
const received = sqs.received;

let env: NodeJS.ProcessEnv;
const QUEUE_URL =
  'https://sqs.eu-west-1.amazonaws.com/123456789012/agent-platform-dev-slack-answers';

beforeAll(() => {
  env = {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'TESTACCESSKEYID',
    AWS_SECRET_ACCESS_KEY: 'test-secret-access-key-not-a-real-one',
    AWS_SESSION_TOKEN: 'session-token-example',
    AWS_ENDPOINT_URL_SQS: `${sqs.url}/`,
    QUEUE_URL_SLACK_ANSWERS: QUEUE_URL,
  };
});
beforeEach(() => {
  received.length = 0;
  nextStatus = 200;
});

describe('SQS queue sender', () => {
  it('sends one signed SendMessage with the queue URL from the environment and the JSON body', async () => {
    // Act
    await createSqsQueueSender(env).send('slack-answers', { team: 'T1', text: 'hello' });

    // Assess
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.body).toEqual({
      QueueUrl: QUEUE_URL,
      MessageBody: JSON.stringify({ team: 'T1', text: 'hello' }),
    });
    expect(request?.headers['x-amz-target']).toBe('AmazonSQS.SendMessage');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request?.headers['x-amz-security-token']).toBe('session-token-example');
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=TESTACCESSKEYID\/\d{8}\/eu-west-1\/sqs\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
  });

  it('answers a refusal with 503 queue_unavailable, so the caller may retry', async () => {
    // Prepare
    nextStatus = 403;

    // Act
    const outcome = await createSqsQueueSender(env)
      .send('slack-answers', { n: 1 })
      .catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(QueueUnavailableError);
    expect((outcome as QueueUnavailableError).statusCode).toBe(503);
    expect(String((outcome as Error).cause)).toContain('AccessDenied');
  });

  it('names the missing URL variable for a queue the function may not send to', async () => {
    // Act
    const outcome = await createSqsQueueSender(env)
      .send('other-queue', {})
      .catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(NotConfiguredError);
    expect((outcome as Error).message).toContain('QUEUE_URL_OTHER_QUEUE');
    expect(received).toHaveLength(0);
  });
});
