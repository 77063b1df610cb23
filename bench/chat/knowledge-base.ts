import { readFileSync } from 'node:fs';
import { random } from '../search/synthetic-corpus.ts';

interface Passage {
  id: string;
  heading: string[];
  text: string;
}

const fixtures = new URL('../../test/fixtures/retrieval/', import.meta.url);
const passages = JSON.parse(readFileSync(new URL('passages.json', fixtures), 'utf8')) as Passage[];
const queries = JSON.parse(readFileSync(new URL('queries.json', fixtures), 'utf8')) as {
  query: string;
}[];

/**
 * Markdown documents for `POST /v1/documents`: each made of `sections` public-domain
 * passages (test/fixtures/retrieval) drawn with a fixed seed, under their headings. 40
 * documents of 25 sections chunk into a few hundred chunks at the default chunk size.
 */
export function benchDocuments(count = 40, sections = 25): { title: string; text: string }[] {
  const next = random(7);
  return Array.from({ length: count }, (_, d) => {
    const parts = Array.from({ length: sections }, () => {
      const passage = passages[Math.floor(next() * passages.length)] as Passage;
      return `## ${passage.heading.join(', ')}\n\n${passage.text}`;
    });
    return { title: `Handbook ${d + 1}`, text: `# Handbook ${d + 1}\n\n${parts.join('\n\n')}\n` };
  });
}

/** The labelled retrieval queries, as chat messages, in a fixed order. */
export function benchMessages(): string[] {
  return queries.map(({ query }) => query);
}
