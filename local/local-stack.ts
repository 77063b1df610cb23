import { randomBytes } from 'node:crypto';
import { type LocalRedis, startRedisServer } from './redis-server.ts';
import { startUpstashGateway, type UpstashGateway } from './upstash-gateway.ts';

/** A real `redis-server` behind the Upstash-compatible REST gateway. */
export interface LocalRedisStack {
  readonly url: string;
  readonly token: string;
  readonly redis: LocalRedis;
  readonly gateway: UpstashGateway;
  stop(): Promise<void>;
}

export async function startLocalRedisStack(
  options: { dataDir?: string; port?: number } = {},
): Promise<LocalRedisStack> {
  const redis = await startRedisServer(options.dataDir ? { dataDir: options.dataDir } : {});
  try {
    const gateway = await startUpstashGateway({
      socketPath: redis.socketPath,
      token: randomBytes(24).toString('base64url'),
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
    return {
      url: gateway.url,
      token: gateway.token,
      redis,
      gateway,
      async stop() {
        await gateway.close();
        await redis.stop();
      },
    };
  } catch (error) {
    await redis.stop();
    throw error;
  }
}
