import type { SearchResponse } from './search-schema.ts';

type SearchResult = SearchResponse['results'][number];

/**
 * Bytes the results of one search may take, measured as they travel: the JSON body is a
 * string inside the function's JSON response, so it is escaped twice.
 *
 * Why a budget rather than a lower `k`: Lambda refuses a response over 6 MB (6,291,456
 * bytes, envelope included). Twice escaped, one UTF-16 unit or UTF-8 byte costs at most
 * 7 bytes (a control character becomes `\u0001` in the body, `\\u0001` in the envelope).
 * The worst hit is 8,000 text + 300 title + 1,024 source + 302 snippet + 6 x 200 heading
 * units, and 8,256 metadata bytes (the 8 KiB cap and the two fields the platform adds)
 * in at most about 100 entries: about 136 KB, so 50 hits could reach 6.8 MB. Ordinary
 * text (prose, UTF-8, no control characters) costs 1-3 bytes per character and 50 hits
 * stay near 1-2 MB; only hostile text gets close. Lowering `k` to about 20 would shrink
 * every answer to guard against that text; the budget changes nothing until text would
 * not fit, and then leaves the chunk text out of the lowest-ranked hits (`textOmitted`),
 * keeping their snippet, offsets and citation. Without its text the worst hit is about
 * 80 KB, so 50 of them (4 MB) fit; a hit that still would not fit (none can under the
 * caps) is dropped with those below it. 5 MiB leaves about 1 MB for headers.
 */
export const SEARCH_RESULTS_MAX_BYTES = 5 * 1024 * 1024;

/**
 * The results that fit in `budget` bytes, best first. Room goes first to every hit
 * without its text, then text is given back from the top of the ranking while it fits,
 * so text is only ever missing from a run of the lowest-ranked hits.
 */
export function fitSearchResults(
  results: readonly SearchResult[],
  budget = SEARCH_RESULTS_MAX_BYTES,
): SearchResult[] {
  const candidates: { whole: SearchResult; bare: SearchResult; textBytes: number }[] = [];
  let left = budget;
  for (const whole of results) {
    const bare = { ...whole, text: '', textOmitted: true };
    const bareBytes = envelopeBytes(bare);
    if (bareBytes > left) break;
    left -= bareBytes;
    candidates.push({ whole, bare, textBytes: envelopeBytes(whole) - bareBytes });
  }
  let withText = true;
  return candidates.map(({ whole, bare, textBytes }) => {
    withText &&= textBytes <= left;
    if (!withText) return bare;
    left -= textBytes;
    return whole;
  });
}

function envelopeBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(JSON.stringify(value)));
}
