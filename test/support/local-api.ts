import { afterAll, beforeAll } from 'vitest';
import { type LocalApiServer, startApiServer } from '#local/api-server.ts';
import { resetConfigCache } from '#shared/platform/config/index.ts';

export interface ApiFixture {
  readonly url: string;
  request(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * Serves the real handlers through the local API Gateway emulation for one test file.
 * `env` is applied to `process.env` before the first request, as a Lambda's would be.
 */
export function useLocalApi(env: () => Record<string, string>): ApiFixture {
  let server: LocalApiServer | undefined;
  const previous: Record<string, string | undefined> = {};
  beforeAll(async () => {
    for (const [name, value] of Object.entries(env())) {
      previous[name] = process.env[name];
      process.env[name] = value;
    }
    resetConfigCache();
    server = await startApiServer();
  });
  afterAll(async () => {
    await server?.close();
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfigCache();
  });
  return {
    get url() {
      if (!server) throw new Error('useLocalApi: the server is only available inside tests');
      return server.url;
    },
    request(path, init) {
      return fetch(`${this.url}${path}`, init);
    },
  };
}
