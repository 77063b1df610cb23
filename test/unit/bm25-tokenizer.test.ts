import { describe, expect, it } from 'vitest';
import { Bm25Index } from '#shared/knowledge/index/bm25.ts';
import { tokenize } from '#shared/knowledge/index/tokenizer.ts';

describe('tokenize', () => {
  it('stems English words and drops stop words', () => {
    expect(tokenize('The indexes are indexing the indexed documents')).toEqual([
      'index',
      'index',
      'index',
      'document',
    ]);
  });

  it('keeps code identifiers whole and split into their parts', () => {
    expect(tokenize('call parseHttpResponse')).toEqual([
      'call',
      'parsehttpresponse',
      'pars',
      'http',
      'respons',
    ]);
    expect(tokenize('os.path.join')).toEqual(['os.path.join', 'os', 'path', 'join']);
    expect(tokenize('MAX_RETRY_COUNT')).toEqual(['max_retry_count', 'max', 'retri', 'count']);
    expect(tokenize('HTTPServer')).toEqual(['httpserver', 'http', 'server']);
  });

  it('keeps numbers as written, without thousands separators', () => {
    expect(tokenize('Error 404 after 1,000 requests at 3.14, v2.1.0')).toEqual([
      'error',
      '404',
      '1000',
      'request',
      '3.14',
      'v2.1.0',
      'v2',
    ]);
  });

  it('drops apostrophes instead of splitting on them', () => {
    expect(tokenize("Don't panic")).toEqual(['dont', 'panic']);
  });
});

describe('Bm25Index', () => {
  const build = (docs: string[]) => {
    const index = new Bm25Index();
    for (const [slot, text] of docs.entries()) index.add(slot, tokenize(text));
    return index;
  };
  const live = (n: number) => new Uint8Array(n).fill(1);

  it('ranks a rare matching term above a common one, and more matches higher', () => {
    // Prepare
    const docs = [
      'solar panel output',
      'solar wind',
      'solar flare and solar panel',
      'wind turbine',
    ];
    const index = build(docs);

    // Act
    const hits = index.search(tokenize('solar panel'), 10, live(4), undefined);

    // Assess
    expect(hits.map((hit) => hit.id)).toEqual([2, 0, 1]);
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 0);
  });

  it('skips dead and filtered-out slots and updates its statistics on removal', () => {
    // Prepare
    const docs = ['alpha beta', 'alpha gamma', 'delta'];
    const index = build(docs);
    const alive = live(3);

    // Act
    alive[0] = 0;
    index.remove(0, tokenize(docs[0] as string));
    const mask = Uint8Array.from([1, 0, 1]);

    // Assess
    expect(index.size).toBe(2);
    expect(index.search(['alpha'], 10, alive, undefined).map((hit) => hit.id)).toEqual([1]);
    expect(index.search(['alpha'], 10, alive, mask)).toEqual([]);
  });

  it('returns at most the limit, best first', () => {
    const index = build(
      Array.from({ length: 30 }, (_, i) => `term ${'term '.repeat(i % 5)} filler${i}`),
    );
    const hits = index.search(['term'], 5, live(30), undefined);
    expect(hits).toHaveLength(5);
    expect(hits.map((hit) => hit.score)).toEqual(
      [...hits.map((hit) => hit.score)].sort((a, b) => b - a),
    );
  });
});
