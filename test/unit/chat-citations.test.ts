import { describe, expect, it } from 'vitest';
import type { Passage } from '#shared/chat/model/context.ts';
import { citedPassages } from '#shared/chat/turn/citations.ts';

const passage = (n: number): Passage => ({
  n,
  documentId: `doc-${n}`,
  title: `Title ${n}`,
  source: `doc-${n}.md`,
  headingPath: [],
  pageRange: { from: n, to: n },
  text: `full text ${n}`,
  snippet: `snippet ${n}`,
  score: 1 / n,
});

describe('citedPassages', () => {
  it('returns the cited passages in order of first use, once each, without their text', () => {
    const passages = [passage(1), passage(2), passage(3)];

    const cited = citedPassages(
      'Refunds take 14 days [3]. Shipping is free [1][3], see [1, 3].',
      passages,
    );

    expect(cited.map((citation) => citation.n)).toEqual([3, 1]);
    expect(cited[0]).toEqual({
      n: 3,
      documentId: 'doc-3',
      title: 'Title 3',
      source: 'doc-3.md',
      headingPath: [],
      pageRange: { from: 3, to: 3 },
      snippet: 'snippet 3',
      score: 1 / 3,
    });
  });

  it('drops numbers the prompt never gave', () => {
    const cited = citedPassages('As [7] and [2, 9] and [0] say.', [passage(1), passage(2)]);

    expect(cited.map((citation) => citation.n)).toEqual([2]);
  });

  it('reads grouped numbers and ignores brackets that are not citations', () => {
    const cited = citedPassages('Arrays like [a] and [ ] and [1,2] and [2 , 3].', [
      passage(1),
      passage(2),
      passage(3),
    ]);

    expect(cited.map((citation) => citation.n)).toEqual([1, 2, 3]);
  });
});
