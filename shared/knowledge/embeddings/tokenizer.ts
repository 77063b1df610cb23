/**
 * The cl100k tokenizer the OpenAI embedder counts tokens with. It is most of a search or
 * ingest bundle (~970 KB of encoding tables), and a module in the handler's bundle is
 * compiled at cold start even when only imported lazily; so in Lambda it is bundled on
 * its own as `tokenizer.mjs` beside the handler (the catalog's `extraEntryPoints`) and
 * loaded by the first embeddings request that needs it.
 */
export { countTokens, decode, encode } from 'gpt-tokenizer/encoding/cl100k_base';
