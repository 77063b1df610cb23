import { stemmer } from 'stemmer';

// Words, identifiers and numbers, with their inner joiners: `parse_http`, `os.path`,
// `v2.1.0`, `e-mail`, `don't`. Trailing punctuation is not part of a word.
const WORD = /[\p{L}\p{N}]+(?:[._'’-][\p{L}\p{N}]+)*/gu;
const THOUSANDS = /(?<=\d),(?=\d{3}\b)/g;
const JOINER = /[._-]+/;
const APOSTROPHE = /['’]/g;
// Lower-to-upper (`parseHttp`), acronym-to-word (`HTTPServer`), letter-digit (`utf8`).
const CAMEL = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;
const NUMERIC = /^[\d.,]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range is meant.
const ASCII = /^[\x00-\x7f]*$/;

/** Common English words that carry no meaning for retrieval. */
const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before ' +
    'being below between both but by can could did do does doing down during each few for ' +
    'from further had has have having he her here hers herself him himself his how i if in ' +
    'into is it its itself just me more most my myself no nor not now of off on once only or ' +
    'other our ours ourselves out over own same she should so some such than that the their ' +
    'theirs them themselves then there these they this those through to too under until up ' +
    'very was we were what when where which while who whom why will with would you your ' +
    'yours yourself yourselves'
  ).split(' '),
);

/**
 * Splits text into BM25 terms. English words are lowercased, stop words dropped and the
 * rest Porter-stemmed (`indexing` and `indexes` both become `index`). Identifiers are kept
 * whole and also split into their parts (`parseHttpResponse` gives `parsehttpresponse`,
 * `pars`, `http`, `respons`; `os.path.join` gives `os.path.join`, `os`, `path`, `join`), so
 * a query can name either. Numbers are kept as written, without thousands separators
 * (`1,000` is `1000`, `3.14` stays `3.14`, `404` stays `404`).
 */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  // NFKC folds compatibility forms (ligatures, full-width digits); ASCII has none.
  const normal = ASCII.test(text) ? text : text.normalize('NFKC');
  const words = normal.replace(THOUSANDS, '').match(WORD) ?? [];
  for (const word of words) {
    let cached = wordTerms.get(word);
    if (cached === undefined) {
      cached = termsOfWord(word);
      if (wordTerms.size >= WORD_CACHE_LIMIT) wordTerms.clear();
      wordTerms.set(word, cached);
    }
    for (const term of cached) terms.push(term);
  }
  return terms;
}

// Stemming and splitting dominate tokenising, and text repeats its words: the terms of
// each distinct word are memoised (bounded, so memory cannot grow without limit).
const WORD_CACHE_LIMIT = 200_000;
const wordTerms = new Map<string, readonly string[]>();

function termsOfWord(word: string): string[] {
  const unquoted = word.replace(APOSTROPHE, '');
  const lower = unquoted.toLowerCase();
  if (NUMERIC.test(word)) return [lower];
  const parts = unquoted.split(JOINER).flatMap((part) => part.split(CAMEL));
  if (parts.length === 1) return stem(lower);
  // An identifier or compound: the whole (unstemmed, so it matches exactly) and each part.
  return [lower, ...parts.flatMap((part) => (part.length > 1 ? stem(part.toLowerCase()) : []))];
}

function stem(word: string): string[] {
  if (STOPWORDS.has(word)) return [];
  return [/^\p{L}+$/u.test(word) ? stemmer(word) : word];
}
