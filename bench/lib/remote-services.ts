/**
 * Runs what is remote in AWS in a child process: the local redis-server behind the
 * Upstash gateway and, if asked, the local OpenAI-compatible server. The benchmark's own
 * thread then does only what a Lambda would (the gateway's encoding work is Upstash's,
 * the model server's is the provider's). The parent reads their counters over IPC.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { startLocalRedisStack } from '#local/local-stack.ts';
import { startOpenAiServer } from '#local/openai-server.ts';

type Request = { kind: 'counts' } | { kind: 'reset' } | { kind: 'stop' };

/** What the services saw since the last reset. */
export interface ServiceCounts {
  /** HTTP requests to the gateway: Redis round trips. */
  redisRequests: number;
  /** Bytes sent to the gateway (request bodies) and received from it (response bodies). */
  redisBytesSent: number;
  redisBytesReceived: number;
  /** Redis commands, as the gateway counts them (MULTI and EXEC included). */
  redisCommands: number;
  redisCommandsByName: Record<string, number>;
  /** Requests to the model server, by path suffix. */
  embeddingsRequests: number;
  chatRequests: number;
  /** Each model request's time inside the model server, in arrival order. */
  modelServerMs: number[];
}

export interface RemoteServices {
  redis: { url: string; token: string };
  /** Present when started with `model: true`. */
  model: { baseUrl: string; apiKey: string } | undefined;
  counts(): Promise<ServiceCounts>;
  resetCounts(): Promise<void>;
  stop(): Promise<void>;
}

interface Ready {
  redis: { url: string; token: string };
  model?: { baseUrl: string; apiKey: string };
}

export async function startRemoteServices(
  options: { model?: boolean } = {},
): Promise<RemoteServices> {
  const args = ['--remote-services', ...(options.model ? ['--model'] : [])];
  const child = fork(new URL(import.meta.url), args, { stdio: 'inherit' });
  const [ready] = (await once(child, 'message')) as [Ready];
  const ask = async <T>(request: Request): Promise<T> => {
    const reply = once(child, 'message');
    child.send(request);
    return ((await reply) as [T])[0];
  };
  return {
    redis: ready.redis,
    model: ready.model,
    counts: () => ask<ServiceCounts>({ kind: 'counts' }),
    resetCounts: async () => {
      await ask({ kind: 'reset' });
    },
    stop: async () => {
      await ask({ kind: 'stop' });
      await once(child, 'exit');
    },
  };
}

if (process.argv.includes('--remote-services') && process.send) {
  const stack = await startLocalRedisStack();
  const model = process.argv.includes('--model') ? await startOpenAiServer() : undefined;
  const counts = (): ServiceCounts => ({
    redisRequests: stack.gateway.requestCount,
    redisBytesSent: stack.gateway.requestBytes,
    redisBytesReceived: stack.gateway.responseBytes,
    redisCommands: stack.gateway.commandCount,
    redisCommandsByName: Object.fromEntries(stack.gateway.commandsByName),
    embeddingsRequests: model?.requestsTo('/embeddings').length ?? 0,
    chatRequests: model?.requestsTo('/chat/completions').length ?? 0,
    modelServerMs: (model?.requests ?? []).map((request) => request.durationMs ?? Number.NaN),
  });
  process.on('message', async (request: Request) => {
    if (request.kind === 'counts') process.send?.(counts());
    if (request.kind === 'reset') {
      stack.gateway.resetRequestCount();
      stack.gateway.resetCommandCount();
      model?.clearRequests();
      process.send?.(true);
    }
    if (request.kind === 'stop') {
      await model?.close();
      await stack.stop();
      process.send?.(true);
      process.disconnect();
    }
  });
  const ready: Ready = {
    redis: { url: stack.url, token: stack.token },
    ...(model ? { model: { baseUrl: model.baseUrl, apiKey: model.apiKey } } : {}),
  };
  process.send(ready);
}
