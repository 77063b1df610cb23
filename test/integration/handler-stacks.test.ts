import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLambdaContext } from '#local/api-gateway-event.ts';
import { type LocalApiServer, startApiServer } from '#local/api-server.ts';
import { resetConfigCache } from '#shared/platform/config/index.ts';
import { probeCatalog } from '../fixtures/functions/catalog.ts';
import { deliveries, handler as queueProbe } from '../fixtures/functions/queue-probe/handler.ts';
import {
  holdStreamProbe,
  probeState,
  releaseStreamProbe,
} from '../fixtures/functions/stream-probe/latch.ts';
import { adminKeySettings } from '../support/admin-key.ts';

let server: LocalApiServer;

const OPERATOR_KEY = 'operator-key-for-handler-stack-tests-0123456789';
const authorized = { headers: { authorization: `Bearer ${OPERATOR_KEY}` } };

beforeAll(async () => {
  process.env.LOG_LEVEL = 'SILENT';
  process.env.ADMIN_API_KEY_SHA256 = adminKeySettings(OPERATOR_KEY).ADMIN_API_KEY_SHA256;
  resetConfigCache();
  server = await startApiServer({ catalog: probeCatalog, queueVisibilityTimeoutMs: 30 });
});
afterAll(async () => {
  await server.close();
  delete process.env.LOG_LEVEL;
  delete process.env.ADMIN_API_KEY_SHA256;
  resetConfigCache();
});

describe('streamed routes', () => {
  it("reach the client chunk by chunk: the first before the handler's stream has ended", async () => {
    // Prepare
    holdStreamProbe();

    // Act
    const response = await fetch(`${server.url}/v1/probe/stream`, authorized);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    const finishedAtFirstChunk = probeState.finished;
    releaseStreamProbe();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += Buffer.from(chunk.value).toString('utf8');
    }

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(first.value ?? new Uint8Array()).toString('utf8')).toBe(
      'event: first\ndata: {"n":1}\n\n',
    );
    expect(finishedAtFirstChunk).toBe(false);
    expect(rest).toBe('event: last\ndata: {"n":2}\n\n');
  });

  it('answer an error found before the first byte as the usual JSON error', async () => {
    // Act
    const response = await fetch(`${server.url}/v1/probe/stream?mode=fail`, authorized);
    const body = (await response.json()) as { error: { code: string; requestId: string } };

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.requestId).toEqual(expect.any(String));
  });

  it('answer a missing key with 401 before any byte is streamed', async () => {
    // Act
    const response = await fetch(`${server.url}/v1/probe/stream`);

    // Assess
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'unauthorized',
    );
  });

  it('answer a route that returns a body whole, and a bad query with 400', async () => {
    // Act
    const whole = await fetch(`${server.url}/v1/probe/stream?mode=whole`, authorized);
    const invalid = await fetch(`${server.url}/v1/probe/stream?mode=sideways`, authorized);

    // Assess
    expect(whole.status).toBe(200);
    expect(await whole.json()).toEqual({ whole: true });
    expect(invalid.status).toBe(400);
  });
});

describe('raw routes', () => {
  it('receive the exact bytes and header names that were sent', async () => {
    // Prepare: form-encoded bytes as Slack sends them, with a byte that is not UTF-8.
    const body = Buffer.concat([
      Buffer.from('payload=%7B%22type%22%3A%22block_actions%22%7D&x=+%2B'),
      Buffer.from([0xff]),
    ]);

    // Act
    const response = await fetch(`${server.url}/slack/probe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'X-Slack-Signature': 'v0=abc',
        'X-Slack-Request-Timestamp': '1',
      },
      body,
    });
    const echo = (await response.json()) as {
      sha256: string;
      length: number;
      headerNames: string[];
    };

    // Assess
    expect(response.status).toBe(200);
    expect(echo.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(echo.length).toBe(body.length);
    expect(echo.headerNames).toEqual(
      expect.arrayContaining(['X-Slack-Signature', 'X-Slack-Request-Timestamp']),
    );
  });

  it('refuse a body over the route cap with 413 and another method with 405', async () => {
    // Act
    const large = await fetch(`${server.url}/slack/probe`, {
      method: 'POST',
      body: 'x'.repeat(2048),
    });
    const wrongMethod = await fetch(`${server.url}/slack/probe`);

    // Assess
    expect(large.status).toBe(413);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});

describe('queue functions', () => {
  it('answer a batch with the failed record as a partial batch failure', async () => {
    // Prepare
    const records = [
      { id: 'x1', fail: false },
      { id: 'x2', fail: true },
      { id: 'x3', fail: false },
    ].map((message, index) => ({
      messageId: `m${index}`,
      receiptHandle: `r${index}`,
      body: JSON.stringify(message),
      attributes: { ApproximateReceiveCount: '1' },
    }));

    // Act
    const response = await queueProbe(
      { Records: records } as never,
      toLambdaContext('queue-probe', 20) as never,
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });

  it('report one failed record of three, which the local queue redelivers and then dead-letters', async () => {
    // Prepare
    const queue = server.queues.get('probe');
    if (!queue) throw new Error('the probe queue is missing');

    // Act
    server.queues.send('probe', { id: 'a', fail: false });
    server.queues.send('probe', { id: 'b', fail: true });
    server.queues.send('probe', { id: 'c', fail: false });
    await queue.idle();

    // Assess: a and c once; b on each of its three receives, then dead-lettered.
    const ofThisTest = deliveries.filter((delivery) => ['a', 'b', 'c'].includes(delivery.id));
    expect(
      ofThisTest
        .filter((delivery) => !delivery.failed)
        .map((d) => d.id)
        .sort(),
    ).toEqual(['a', 'c']);
    expect(ofThisTest.filter((delivery) => delivery.id === 'b').map((d) => d.receiveCount)).toEqual(
      [1, 2, 3],
    );
    expect(queue.deadLetters.map((letter) => JSON.parse(letter.body))).toEqual([
      { id: 'b', fail: true },
    ]);
  });

  it('get what a producer function sends through its services, as SQS would deliver it', async () => {
    // Prepare
    const queue = server.queues.get('probe');
    if (!queue) throw new Error('the probe queue is missing');

    // Act
    const response = await fetch(`${server.url}/v1/probe/enqueue`, {
      method: 'POST',
      headers: { ...authorized.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'from-route', fail: false }),
    });
    await queue.idle();

    // Assess
    expect(response.status).toBe(202);
    expect(deliveries).toContainEqual({ id: 'from-route', receiveCount: 1, failed: false });
  });

  it('drop a message that does not match the schema instead of retrying it', async () => {
    // Prepare
    const queue = server.queues.get('probe');
    if (!queue) throw new Error('the probe queue is missing');
    const before = deliveries.length;
    const deadBefore = queue.deadLetters.length;

    // Act
    server.queues.send('probe', { id: 42 });
    await queue.idle();

    // Assess
    expect(deliveries.length).toBe(before);
    expect(queue.deadLetters.length).toBe(deadBefore);
  });
});
