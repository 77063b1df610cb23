import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Judgments } from './metrics.ts';

/** One document of a test collection, as it is indexed. */
export interface CollectionDocument {
  id: string;
  title: string;
  headingPath: string[];
  text: string;
}

export interface CollectionQuery {
  id: string;
  text: string;
  judgments: Judgments;
}

/** A test collection: documents, queries and graded judgments. */
export interface TestCollection {
  name: string;
  documents: CollectionDocument[];
  queries: CollectionQuery[];
}

const fixtures = new URL('../../test/fixtures/retrieval/', import.meta.url);

function readJson<T>(path: string): T {
  const url = new URL(path, fixtures);
  const bytes = readFileSync(url);
  return JSON.parse((path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')) as T;
}

/**
 * The Cystic Fibrosis collection (Shaw, Wood, Wood and Tibbo, 1991): 1,239 MEDLINE records
 * (title and abstract), 100 queries, each judged by four assessors on a 0-2 scale; a
 * document's grade is the sum of the four (0-8).
 */
export function cysticFibrosis(): TestCollection {
  const documents = readJson<{ id: string; title: string; text: string }[]>(
    'cystic-fibrosis/documents.json.gz',
  );
  const queries = readJson<{ id: string; query: string; relevant: Judgments }[]>(
    'cystic-fibrosis/queries.json',
  );
  return {
    name: 'Cystic Fibrosis (1,239 abstracts, 100 queries)',
    documents: documents.map(({ id, title, text }) => ({
      id,
      title,
      headingPath: [],
      // A record without an abstract is its title alone.
      text: text || title,
    })),
    queries: queries.map(({ id, query, relevant }) => ({ id, text: query, judgments: relevant })),
  };
}

/** The project's own set: 40 passages of the US Constitution, 39 questions in modern words. */
export function constitution(): TestCollection {
  const passages = readJson<{ id: string; heading: string[]; text: string }[]>('passages.json');
  const queries = readJson<{ query: string; relevant: Judgments }[]>('queries.json');
  return {
    name: 'US Constitution (40 passages, 39 queries)',
    documents: passages.map(({ id, heading, text }) => ({
      id,
      title: 'Constitution of the United States',
      headingPath: heading,
      text,
    })),
    queries: queries.map(({ query, relevant }, index) => ({
      id: String(index + 1),
      text: query,
      judgments: relevant,
    })),
  };
}
