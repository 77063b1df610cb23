/** What `tokenizer.ts` exports. */
export type Tokenizer = typeof import('./tokenizer.ts');

/**
 * The tokenizer module next to this one: `.ts` from source, `tokenizer.mjs` beside the
 * bundled handler in Lambda (kept out of `index.mjs`, see tokenizer.ts).
 */
const TOKENIZER_URL = new URL(
  import.meta.url.endsWith('.ts') ? './tokenizer.ts' : './tokenizer.mjs',
  import.meta.url,
);

let tokenizer: Promise<Tokenizer> | undefined;

/** The cl100k tokenizer, imported on first use instead of at cold start. */
export function loadTokenizer(): Promise<Tokenizer> {
  tokenizer ??= (import(TOKENIZER_URL.href) as Promise<Tokenizer>).catch((error: unknown) => {
    tokenizer = undefined;
    throw error;
  });
  return tokenizer;
}
