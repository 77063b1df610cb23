import { buildPdf } from '#test/support/document-fixtures.ts';

const WORDS =
  'the platform indexes company documents so that answers can cite the exact page where a policy budget deployment rollback incident owner review quarterly revenue forecast customer contract renewal security audit'.split(
    ' ',
  );

/**
 * A deterministic PDF of `pages` pages, each with a heading line and 40 lines of prose
 * (about 3,000 characters a page, like a dense report).
 */
export async function generatedPdf(pages: number): Promise<Uint8Array> {
  let state = 42;
  const word = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return WORDS[state % WORDS.length] as string;
  };
  const sentence = () => {
    const text = Array.from({ length: 6 + (state % 8) }, word).join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  return buildPdf({
    title: `Generated report (${pages} pages)`,
    author: 'Benchmark',
    pages: Array.from({ length: pages }, (_, page) => [
      `Section ${page + 1}`,
      ...Array.from({ length: 40 }, () => `${sentence()} ${sentence()}`.slice(0, 95)),
    ]),
  });
}
