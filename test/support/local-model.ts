import { afterAll, beforeAll } from 'vitest';
import { type LocalOpenAiServer, startOpenAiServer } from '#local/openai-server.ts';

export interface ModelFixture {
  /** The running server; valid inside tests and hooks. */
  readonly server: LocalOpenAiServer;
  /** The settings that point the platform at it (model mode, not offline). */
  settings(): { OPENAI_API_KEY: string; OPENAI_BASE_URL: string };
}

/**
 * Starts the local OpenAI-compatible server for one test file and stops it afterwards.
 * Call it before `useLocalApi`, whose settings read it.
 */
export function useLocalModel(): ModelFixture {
  let server: LocalOpenAiServer | undefined;
  beforeAll(async () => {
    server = await startOpenAiServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  const fixture: ModelFixture = {
    get server() {
      if (!server) throw new Error('useLocalModel: the server is only available inside tests');
      return server;
    },
    settings: () => ({
      OPENAI_API_KEY: fixture.server.apiKey,
      OPENAI_BASE_URL: fixture.server.baseUrl,
    }),
  };
  return fixture;
}
