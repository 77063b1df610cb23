import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createBulkReader } from '#shared/platform/redis/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const local = useLocalRedis();

describe('bulk reader of base64 values over the Upstash REST protocol', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  it('decodes each value of one pipeline into its target, and reports the missing', async () => {
    // Prepare: sizes around every padding case, and one of several megabytes.
    const values = [0, 1, 2, 3, 4, 5, 3 * 1024 * 1024 + 1].map((size) => randomBytes(size));
    const redis = local.client();
    await Promise.all(values.map((value, i) => redis.set(`bulk:${i}`, value.toString('base64'))));
    const reader = createBulkReader(local.stack);
    const keys = [...values.map((_, i) => `bulk:${i}`), 'bulk:missing'];
    const targets = [...values.map((value) => new Uint8Array(value.length)), new Uint8Array(3)];

    // Act
    const results = await reader.readInto(keys, targets);

    // Assess
    expect(results).toEqual([...values.map(() => true), null]);
    for (const [i, value] of values.entries()) {
      expect(Buffer.from(targets[i] as Uint8Array).equals(value)).toBe(true);
    }
  });

  it('refuses values that are not base64 of the target size, leaving the target untouched', async () => {
    // Prepare: text that is not base64, base64 of another size, and a string the reply
    // must escape (read through the JSON path).
    const redis = local.client();
    const bytes = randomBytes(300);
    await redis.set('odd:text', 'plain text, not base64!');
    await redis.set('odd:short', bytes.subarray(0, 297).toString('base64'));
    await redis.set('odd:escaped', `${'A'.repeat(70_000)}"\\`);
    await redis.set('odd:good', bytes.toString('base64'));
    const reader = createBulkReader(local.stack);
    const targets = [300, 300, 300, 300].map((size) => new Uint8Array(size).fill(7));

    // Act
    const results = await reader.readInto(
      ['odd:text', 'odd:short', 'odd:escaped', 'odd:good'],
      targets,
    );

    // Assess
    expect(results).toEqual([false, false, false, true]);
    for (const target of targets.slice(0, 3)) expect(target.every((byte) => byte === 7)).toBe(true);
    expect(Buffer.from(targets[3] as Uint8Array).equals(bytes)).toBe(true);
  });

  it('fails with a 500 when Redis answers a command with an error', async () => {
    // Prepare
    await local.client().hset('bulk:hash', { field: 'value' });
    const reader = createBulkReader(local.stack);

    // Act / Assess
    await expect(reader.readInto(['bulk:hash'], [new Uint8Array(1)])).rejects.toMatchObject({
      statusCode: 500,
      name: 'RedisCommandError',
    });
  });

  it('sends a read again on a new connection when the server closed the kept-alive one', async () => {
    // Prepare: a server that answers once per connection and drops a connection's second
    // request, as a load balancer does with a connection idle past its timeout.
    const value = randomBytes(30);
    const served = new WeakSet<Socket>();
    let connections = 0;
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (served.has(request.socket)) {
          request.socket.destroy();
          return;
        }
        served.add(request.socket);
        response.end(JSON.stringify([{ result: value.toString('base64') }]));
      });
    });
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const reader = createBulkReader({ url: `http://127.0.0.1:${port}`, token: 'token' });
    const read = () => reader.readInto(['key'], [new Uint8Array(30)]);

    // Act
    const first = await read();
    const second = await read();

    // Assess
    expect([first, second]).toEqual([[true], [true]]);
    expect(connections).toBe(2);
  });

  it('fails with a 503 when the server cannot be reached', async () => {
    // Prepare: a port nothing listens on.
    server = createServer();
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    const reader = createBulkReader({ url: `http://127.0.0.1:${port}`, token: 'token' });

    // Act / Assess
    await expect(reader.readInto(['key'], [new Uint8Array(1)])).rejects.toMatchObject({
      statusCode: 503,
    });
  });
});
