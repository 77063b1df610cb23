/**
 * Runs the local redis-server and Upstash gateway in a child process, so the benchmark's
 * own thread does only what a Lambda would: the gateway's encoding work is server-side
 * on Upstash. The parent asks for the gateway's request count over IPC.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { startLocalRedisStack } from '#local/local-stack.ts';

type Request = { kind: 'count' } | { kind: 'reset' } | { kind: 'stop' };

export interface RedisProcess {
  url: string;
  token: string;
  requestCount(): Promise<number>;
  resetRequestCount(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisProcess(): Promise<RedisProcess> {
  const child = fork(new URL(import.meta.url), ['--child'], { stdio: 'inherit' });
  const [ready] = (await once(child, 'message')) as [{ url: string; token: string }];
  const ask = async <T>(request: Request): Promise<T> => {
    const reply = once(child, 'message');
    child.send(request);
    return ((await reply) as [T])[0];
  };
  return {
    url: ready.url,
    token: ready.token,
    requestCount: () => ask<number>({ kind: 'count' }),
    resetRequestCount: async () => {
      await ask({ kind: 'reset' });
    },
    stop: async () => {
      await ask({ kind: 'stop' });
      await once(child, 'exit');
    },
  };
}

if (process.argv.includes('--child') && process.send) {
  const stack = await startLocalRedisStack();
  process.on('message', async (request: Request) => {
    if (request.kind === 'count') process.send?.(stack.gateway.requestCount);
    if (request.kind === 'reset') {
      stack.gateway.resetRequestCount();
      process.send?.(true);
    }
    if (request.kind === 'stop') {
      await stack.stop();
      process.send?.(true);
      process.disconnect();
    }
  });
  process.send({ url: stack.url, token: stack.token });
}
