import type OpenAI from 'openai';

/** What `openai-sdk.ts` exports. */
export type OpenAiSdk = typeof import('./openai-sdk.ts');

/**
 * The SDK module next to this one: `.ts` from source, `openai-sdk.mjs` beside the bundled
 * handler in Lambda (kept out of `index.mjs`, see openai-sdk.ts).
 */
const SDK_URL = new URL(
  import.meta.url.endsWith('.ts') ? './openai-sdk.ts' : './openai-sdk.mjs',
  import.meta.url,
);

let sdk: Promise<OpenAiSdk> | undefined;

/** The `openai` SDK, imported by the first model call instead of at cold start. */
export function loadOpenAiSdk(): Promise<OpenAiSdk> {
  sdk ??= (import(SDK_URL.href) as Promise<OpenAiSdk>).catch((error: unknown) => {
    // Not kept: one failed load must not break the container for good.
    sdk = undefined;
    throw error;
  });
  return sdk;
}

export interface OpenAiClientSettings {
  apiKey: string;
  baseUrl: string | undefined;
  /** Longest one request may take; each call may lower it. */
  timeoutMs: number;
}

/**
 * A getter for one shared client, created on first use. The SDK's own retries are off:
 * retries are made by the caller, bounded by its request's deadline.
 */
export function lazyOpenAiClient(settings: OpenAiClientSettings): () => Promise<OpenAI> {
  let client: Promise<OpenAI> | undefined;
  return () => {
    client ??= loadOpenAiSdk().then(
      ({ OpenAI: OpenAIClient }) =>
        new OpenAIClient({
          apiKey: settings.apiKey,
          baseURL: settings.baseUrl,
          timeout: settings.timeoutMs,
          maxRetries: 0,
        }),
      (error: unknown) => {
        client = undefined;
        throw error;
      },
    );
    return client;
  };
}

const sharedClients = new WeakMap<object, () => Promise<OpenAI>>();

/**
 * The container's one client for the configuration's `openai` group (pass that object
 * itself: it is the cache key), shared by the embedder and the chat model: one
 * connection pool and one SDK instance per container.
 */
export function sharedOpenAiClient(
  settings: Omit<OpenAiClientSettings, 'apiKey'> & { apiKey: string | undefined },
): () => Promise<OpenAI> {
  let client = sharedClients.get(settings);
  if (!client) {
    client = lazyOpenAiClient({ ...settings, apiKey: settings.apiKey ?? '' });
    sharedClients.set(settings, client);
  }
  return client;
}
