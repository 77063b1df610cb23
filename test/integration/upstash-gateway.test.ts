import { Redis } from '@upstash/redis';
import { beforeEach, describe, expect, it } from 'vitest';
import { useLocalRedis } from '../support/local-redis.ts';

const local = useLocalRedis();

describe('Upstash REST gateway with the real @upstash/redis client', () => {
  let redis: Redis;
  beforeEach(async () => {
    redis = local.client();
    await redis.flushdb();
  });

  it('stores and reads strings, with expiry and counters', async () => {
    expect(await redis.set('greeting', 'hello', { ex: 60 })).toBe('OK');
    expect(await redis.get('greeting')).toBe('hello');
    expect(await redis.ttl('greeting')).toBeGreaterThan(0);
    expect(await redis.incrby('counter', 5)).toBe(5);
    expect(await redis.get('missing')).toBeNull();
    expect(await redis.set('greeting', 'other', { nx: true })).toBeNull();
  });

  it('round-trips values that are not plain ASCII', async () => {
    const values = [
      'naïve café ☕',
      'emoji 🧠🚀',
      'nul\u0000inside',
      'quote " and \\ backslash',
      '日本語テキスト',
    ];
    for (const [index, value] of values.entries()) await redis.set(`v:${index}`, value);
    for (const [index, value] of values.entries())
      expect(await redis.get(`v:${index}`)).toBe(value);
    expect(await redis.strlen('v:2')).toBe(Buffer.byteLength('nul\u0000inside'));
  });

  it('escapes a large value with one character that needs it, wherever it falls', async () => {
    // Large values are checked four bytes at a time: each offset within a word, both ends.
    const plain = 'a'.repeat(70_000);
    const positions = [0, 1, 2, 3, 4, 33_333, 69_996, 69_997, 69_998, 69_999];
    const values = ['"', '\\', '\u0001', '\u001f', 'é'].flatMap((special) =>
      positions.map((at) => plain.slice(0, at) + special + plain.slice(at + 1)),
    );
    values.push(plain, 'ü'.repeat(40_000));
    await Promise.all(values.map((value, index) => redis.set(`large:${index}`, value)));

    const read = await Promise.all(values.map((_, index) => redis.get(`large:${index}`)));

    expect(read).toEqual(values);
  });

  it('works with hashes', async () => {
    await redis.hset('doc:1', { title: 'Handbook', pages: '12' });
    expect(await redis.hget('doc:1', 'title')).toBe('Handbook');
    // Without automatic deserialization the client hands back Redis's flat reply.
    expect(await redis.hgetall('doc:1')).toEqual(['title', 'Handbook', 'pages', '12']);
    expect(await redis.hmget('doc:1', 'pages', 'absent')).toEqual(['12', null]);
    expect(await redis.hdel('doc:1', 'pages')).toBe(1);
  });

  it('works with sorted sets and lists', async () => {
    await redis.zadd(
      'scores',
      { score: 2, member: 'b' },
      { score: 1, member: 'a' },
      { score: 3, member: 'c' },
    );
    expect(await redis.zrange('scores', 0, -1)).toEqual(['a', 'b', 'c']);
    expect(await redis.zrange('scores', 0, 0, { rev: true, withScores: true })).toEqual(['c', '3']);
    expect(await redis.zscore('scores', 'b')).toBe('2');

    await redis.rpush('turns', 'one', 'two', 'three');
    await redis.ltrim('turns', -2, -1);
    expect(await redis.lrange('turns', 0, -1)).toEqual(['two', 'three']);
  });

  it('runs pipelines in one HTTP request', async () => {
    local.stack.gateway.resetRequestCount();
    const pipeline = redis.pipeline();
    pipeline.set('p:a', '1');
    pipeline.incr('p:a');
    pipeline.get('p:a');
    pipeline.hset('p:h', { f: 'v' });
    pipeline.hgetall('p:h');
    expect(await pipeline.exec()).toEqual(['OK', 2, '2', 1, ['f', 'v']]);
    expect(local.stack.gateway.requestCount).toBe(1);
  });

  it('counts the commands it runs: each one sent, and MULTI and EXEC around a transaction', async () => {
    const { gateway } = local.stack;
    gateway.resetCommandCount();
    await redis.set('c:a', '1');
    const pipeline = redis.pipeline();
    pipeline.incr('c:a');
    pipeline.get('c:a');
    await pipeline.exec();
    const transaction = redis.multi();
    transaction.incr('c:a');
    transaction.incr('c:a');
    transaction.incr('c:a');
    await transaction.exec();
    // Refused before Redis: no command runs.
    await fetch(`${local.stack.url}/pipeline`, { method: 'POST', body: '[["GET","c:a"]]' });
    expect(gateway.commandCount).toBe(1 + 2 + 3 + 2);
    expect(Object.fromEntries(gateway.commandsByName)).toEqual({
      SET: 1,
      INCR: 4,
      GET: 1,
      MULTI: 1,
      EXEC: 1,
    });
    gateway.resetCommandCount();
    expect(gateway.commandCount).toBe(0);
    expect(gateway.commandsByName.size).toBe(0);
  });

  it('reports a failing command inside a pipeline without losing the others', async () => {
    await redis.set('p:str', 'x');
    const pipeline = redis.pipeline();
    pipeline.set('p:ok', 'fine');
    pipeline.lpush('p:str', 'wrong type');
    const results = await pipeline.exec({ keepErrors: true });
    expect(results[0]?.result).toBe('OK');
    expect(results[1]?.error).toMatch(/WRONGTYPE/);
    expect(await redis.get('p:ok')).toBe('fine');
  });

  it('runs transactions atomically through /multi-exec', async () => {
    const transaction = redis.multi();
    transaction.set('t:a', '1');
    transaction.incr('t:a');
    transaction.rpush('t:list', 'x', 'y');
    expect(await transaction.exec()).toEqual(['OK', 2, 2]);
  });

  it('aborts a transaction whole when a command is rejected while queueing', async () => {
    const response = await fetch(`${local.stack.url}/multi-exec`, {
      method: 'POST',
      headers: { authorization: `Bearer ${local.stack.token}` },
      body: JSON.stringify([
        ['SET', 't:b', '1'],
        ['NOSUCHCOMMAND', 'x'],
      ]),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/EXECABORT/);
    expect(await redis.exists('t:b')).toBe(0);
  });

  it('runs Lua through EVAL and EVALSHA', async () => {
    const script = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
    expect(await redis.eval(script, ['lua:n'], ['3'])).toBe(3);
    const sha = await redis.scriptLoad(script);
    expect(await redis.evalsha(sha, ['lua:n'], ['4'])).toBe(7);
    const created = redis.createScript<number>(script);
    expect(await created.exec(['lua:n'], ['1'])).toBe(8);
    await expect(redis.evalsha('0'.repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/);
  });

  it('surfaces command errors with their Redis message', async () => {
    await redis.set('e:str', 'x');
    await expect(redis.lpush('e:str', 'y')).rejects.toThrow(/WRONGTYPE/);
  });

  it('answers without base64 when the client does not ask for it', async () => {
    await redis.set('plain', 'hé');
    const response = await fetch(local.stack.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${local.stack.token}` },
      body: JSON.stringify(['GET', 'plain']),
    });
    expect(await response.json()).toEqual({ result: 'hé' });
    const encoded = await fetch(local.stack.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${local.stack.token}`, 'upstash-encoding': 'base64' },
      body: JSON.stringify(['GET', 'plain']),
    });
    expect(await encoded.json()).toEqual({ result: Buffer.from('hé').toString('base64') });
  });

  it('rejects a wrong or missing token with 401', async () => {
    const wrong = local.client({ token: 'not-the-token' });
    await expect(wrong.get('anything')).rejects.toThrow(/Unauthorized/);
    const missing = await fetch(local.stack.url, { method: 'POST', body: '["PING"]' });
    expect(missing.status).toBe(401);
  });

  it('rejects bodies that are not commands with 400', async () => {
    const response = await fetch(local.stack.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${local.stack.token}` },
      body: JSON.stringify({ not: 'a command' }),
    });
    expect(response.status).toBe(400);
  });

  it('serves concurrent clients consistently', async () => {
    const clients = Array.from({ length: 5 }, () => local.client());
    await Promise.all(
      clients.flatMap((client) => Array.from({ length: 20 }, () => client.incr('concurrent'))),
    );
    expect(await redis.get('concurrent')).toBe('100');
  });
});

describe('an unreachable gateway', () => {
  it('fails with a transport error the platform can classify', async () => {
    const unreachable = new Redis({
      url: 'http://127.0.0.1:9',
      token: 'x',
      retry: false,
      enableTelemetry: false,
    });
    await expect(unreachable.get('k')).rejects.toThrow();
  });
});
