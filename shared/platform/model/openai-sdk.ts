/**
 * The `openai` SDK, as the platform uses it. It is the largest package in the search and
 * ingest bundles (~150 KB), and a module in a handler's bundle is compiled at cold start
 * even when imported lazily; so in Lambda it is bundled on its own as `openai-sdk.mjs`
 * beside the handler (the catalog's `extraEntryPoints`) and loaded by the first model call.
 */
export { APIConnectionError, APIError, default as OpenAI } from 'openai';
