import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bm25Index } from '#shared/knowledge/index/bm25.ts';

// A skewed vocabulary: the first words land in most chunks, the last in few, so queries
// mix long and short postings and the pruning has something to skip.
const WORDS = Array.from({ length: 24 }, (_, i) => `w${i}`);
const word = fc
  .tuple(fc.nat(WORDS.length - 1), fc.nat(WORDS.length - 1), fc.nat(WORDS.length - 1))
  .map(([a, b, c]) => WORDS[Math.min(a, b, c)] as string);
// Words repeated in bursts give a few chunks a high tf; chunks of similar length (as a
// chunker makes them) let block bounds skip the blocks without such a chunk. Chunks drawn
// from a few fixed shapes repeat exactly, so equal scores (ties) are common.
const chunkOf = (minLength: number) =>
  fc
    .tuple(
      fc.array(word, { minLength, maxLength: 40 }),
      fc.array(fc.tuple(word, fc.integer({ min: 2, max: 12 })), { maxLength: 2 }),
    )
    .map(([words, bursts]) => [
      ...words,
      ...bursts.flatMap(([repeated, times]) => Array<string>(times).fill(repeated)),
    ]);
const fixedShape = fc
  .constantFrom(['w0', 'w1', 'w7'], ['w0', 'w0', 'w3'], ['w23'], ['w1', 'w2'])
  .map((shape) => [...shape]);
const queryTerm = fc.oneof(word, fc.constantFrom('unknown', 'w99'));

/** One corpus's history: chunks added in slot order, some removed, some added again. */
const scenario = fc.record({
  k1: fc.double({ min: 0, max: 3, noNaN: true }),
  b: fc.double({ min: 0, max: 1, noNaN: true }),
  chunks: fc.oneof(
    fc.array(fc.oneof(chunkOf(0), fixedShape), { minLength: 1, maxLength: 600 }),
    fc.array(chunkOf(30), { minLength: 1, maxLength: 600 }),
  ),
  removed: fc.array(fc.nat(), { maxLength: 150 }),
  readded: fc.array(fc.nat(), { maxLength: 100 }),
  masked: fc.option(fc.array(fc.boolean(), { minLength: 2048, maxLength: 2048 })),
  queries: fc.array(
    fc.record({
      // Short queries, and long ones where most terms end up non-essential.
      terms: fc.oneof(
        fc.array(queryTerm, { maxLength: 5 }),
        fc.array(queryTerm, { minLength: 10, maxLength: 40 }),
      ),
      limit: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(10_000)),
    }),
    { minLength: 1, maxLength: 8 },
  ),
});

/**
 * Corpora made for block skipping: chunks of one length holding `t` and sometimes `s`
 * once, except in a few chunks (often at a block's first posting) where they burst; only
 * blocks holding a burst can reach the top.
 */
const burstScenario = fc.record({
  k1: fc.constant(1.2),
  b: fc.constant(0.75),
  chunks: fc
    .tuple(
      fc.integer({ min: 100, max: 1500 }),
      fc.array(
        fc.tuple(
          fc.oneof(
            fc.nat(),
            fc.nat(24).map((block) => block * 64),
          ),
          fc.integer({ min: 2, max: 30 }),
        ),
        { maxLength: 12 },
      ),
      fc.array(fc.nat(), { maxLength: 300 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 2, max: 30 })), { maxLength: 6 }),
    )
    .map(([count, bursts, others, otherBursts]) => {
      const tf = new Array<number>(count).fill(1);
      for (const [at, times] of bursts) tf[at % count] = times;
      const sTf = new Array<number>(count).fill(0);
      for (const at of others) sTf[at % count] = 1;
      for (const [at, times] of otherBursts) sTf[at % count] = times;
      return tf.map((times, slot) => {
        const terms = [
          ...Array<string>(times).fill('t'),
          ...Array<string>(sTf[slot] as number).fill('s'),
        ];
        while (terms.length < 40) terms.push('filler');
        return terms;
      });
    }),
  removed: fc.array(fc.nat(), { maxLength: 20 }),
  readded: fc.array(fc.nat(), { maxLength: 70 }),
  masked: fc.option(fc.array(fc.boolean(), { minLength: 2048, maxLength: 2048 })),
  queries: fc.array(
    fc.record({
      terms: fc.array(fc.constantFrom('t', 's', 'filler', 'unknown'), {
        minLength: 1,
        maxLength: 4,
      }),
      limit: fc.integer({ min: 1, max: 5 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/**
 * Builds the index as a namespace does (removed slots die, re-added chunks take new
 * slots), running `check` once before the re-adds and once after, so block bounds built
 * by the first searches must follow postings that grew since.
 */
function replay(
  run: Scenario,
  check: (index: Bm25Index, live: Uint8Array, mask: Uint8Array | undefined) => void,
): { index: Bm25Index; slots: string[][]; live: Uint8Array } {
  const index = new Bm25Index({ k1: run.k1, b: run.b });
  const slots: string[][] = [];
  const live = new Uint8Array(2048);
  const mask = run.masked ? Uint8Array.from(run.masked, (pass) => (pass ? 1 : 0)) : undefined;
  const add = (terms: string[]) => {
    index.add(slots.length, terms);
    live[slots.length] = 1;
    slots.push(terms);
  };
  for (const terms of run.chunks) add(terms);
  for (const pick of run.removed) {
    const slot = pick % slots.length;
    if (live[slot] !== 1) continue;
    index.remove(slot, slots[slot] as string[]);
    live[slot] = 0;
  }
  check(index, live, mask);
  for (const pick of run.readded) add(slots[pick % slots.length] as string[]);
  check(index, live, mask);
  return { index, slots, live };
}

/** Asserts the pruned search equals exhaustive scoring for every query of the run. */
function samePruned(run: Scenario) {
  return (index: Bm25Index, live: Uint8Array, mask: Uint8Array | undefined) => {
    for (const { terms, limit } of run.queries) {
      // Act
      const pruned = index.search(terms, limit, live, mask);
      const exhaustive = index.searchExhaustive(terms, limit, live, mask);

      // Assess
      expect(pruned).toStrictEqual(exhaustive);
    }
  };
}

describe('Bm25Index.search (pruned)', () => {
  it('returns exactly what exhaustive scoring returns: ids, scores and order', () => {
    fc.assert(
      fc.property(scenario, (run) => {
        replay(run, samePruned(run));
      }),
      { numRuns: 250 },
    );
  });

  it('skips whole blocks that cannot reach the top and still returns the exhaustive list', () => {
    fc.assert(
      fc.property(burstScenario, (run) => {
        replay(run, samePruned(run));
      }),
      { numRuns: 250 },
    );
  });

  it('skips only up to the nearest block end, and bounds postings added after a search', () => {
    // Prepare: `a` and `b` in the first 640 chunks (`b` missing from 64-95, so the terms'
    // blocks of 64 postings end at different slots; `a` missing from 600, so its last
    // block is partial), bursts at 5 and 7, slightly shorter chunks at 6 and 8, then 640
    // chunks of filler. The top 4 (7, 5, 6, 8) leave both terms essential while blocks
    // bound 1.439 < 1.454: slots 64-127 are skipped but not 128-159, where `a`'s block
    // holds tf 2 at 140 though `b`'s block runs on to 159; then `b` has tf 2 at 170.
    const index = new Bm25Index();
    const chunk = (a: number, b: number, length = 40) => [
      ...Array<string>(a).fill('a'),
      ...Array<string>(b).fill('b'),
      ...Array<string>(length - a - b).fill('filler'),
    ];
    const special: Record<number, string[]> = {
      5: chunk(30, 1),
      6: chunk(1, 1, 39),
      7: chunk(1, 30),
      8: chunk(1, 1, 39),
      140: chunk(2, 1),
      170: chunk(1, 2),
      600: chunk(0, 1),
    };
    for (let slot = 0; slot < 1280; slot += 1) {
      const inB = slot < 64 || slot >= 96;
      index.add(slot, special[slot] ?? (slot < 640 ? chunk(1, inB ? 1 : 0) : chunk(0, 0)));
    }
    const live = new Uint8Array(1300).fill(1);

    // Act: search, add a strong chunk to the terms' partial last blocks, search again.
    const first = index.search(['a', 'b'], 4, live, undefined);
    const firstExhaustive = index.searchExhaustive(['a', 'b'], 4, live, undefined);
    index.add(1280, chunk(2, 2));
    const second = index.search(['a', 'b'], 5, live, undefined);

    // Assess
    expect(first.map((hit) => hit.id)).toEqual([7, 5, 170, 140]);
    expect(first).toStrictEqual(firstExhaustive);
    expect(second.map((hit) => hit.id)).toContain(1280);
    expect(second).toStrictEqual(index.searchExhaustive(['a', 'b'], 5, live, undefined));
  });

  it('keeps dead and filtered-out slots out without letting them raise the threshold', () => {
    // Prepare: the best chunks are dead or filtered out; weaker ones must still come back.
    const index = new Bm25Index();
    const strong = ['rare', 'rare', 'rare'];
    for (let slot = 0; slot < 200; slot += 1) index.add(slot, slot < 100 ? strong : ['rare']);
    const live = new Uint8Array(200).fill(1);
    for (let slot = 0; slot < 50; slot += 1) {
      index.remove(slot, strong);
      live[slot] = 0;
    }
    const mask = new Uint8Array(200).fill(1).fill(0, 50, 100);

    // Act
    const hits = index.search(['rare'], 3, live, mask);

    // Assess
    expect(hits.map((hit) => hit.id)).toEqual([100, 101, 102]);
    expect(hits).toStrictEqual(index.searchExhaustive(['rare'], 3, live, mask));
  });

  it('breaks ties by the lower slot, whatever the order the terms are scored in', () => {
    // Prepare: every chunk scores the same; the first query term's postings start later.
    const index = new Bm25Index();
    for (let slot = 0; slot < 300; slot += 1) index.add(slot, slot < 150 ? ['a'] : ['b']);
    const live = new Uint8Array(300).fill(1);

    // Act
    const hits = index.search(['b', 'a'], 4, live, undefined);

    // Assess
    expect(hits.map((hit) => hit.id)).toEqual([0, 1, 2, 3]);
  });
});

describe('Bm25Index.scoreSlots', () => {
  it('gives each slot the score exhaustive scoring gives it, 0 without a match', () => {
    fc.assert(
      fc.property(scenario, fc.array(fc.nat(), { maxLength: 200 }), (run, picks) => {
        // Prepare
        const { index, slots, live } = replay(run, () => {});
        const alive = [...slots.keys()].filter((slot) => live[slot] === 1);
        const chosen = alive.length
          ? picks.map((pick) => alive[pick % alive.length] as number)
          : [];

        for (const { terms } of run.queries) {
          const all = index.searchExhaustive(terms, Number.POSITIVE_INFINITY, live, undefined);
          const expected = new Map(all.map(({ id, score }) => [id, score]));

          // Act
          const scores = index.scoreSlots(terms, chosen);

          // Assess
          expect(Array.from(scores)).toStrictEqual(chosen.map((slot) => expected.get(slot) ?? 0));
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('Bm25Index options', () => {
  it('take k1 and b, defaulting to 1.2 and 0.75', () => {
    // Prepare: the same tf in a short and a long chunk.
    const build = (options?: { k1?: number; b?: number }) => {
      const index = new Bm25Index(options);
      index.add(0, ['x', 'y']);
      index.add(1, ['x', 'y', 'y', 'y', 'y', 'y', 'y', 'y']);
      index.add(2, ['z']);
      return index;
    };

    // Act
    const unnormalised = build({ b: 0 }).scoreSlots(['x'], [0, 1]);
    const defaults = build().scoreSlots(['x'], [0, 1]);
    const explicit = build({ k1: 1.2, b: 0.75 }).scoreSlots(['x'], [0, 1]);

    // Assess
    expect(unnormalised[0]).toBe(unnormalised[1]);
    expect(defaults[0]).toBeGreaterThan(defaults[1] as number);
    expect(Array.from(defaults)).toStrictEqual(Array.from(explicit));
  });
});
