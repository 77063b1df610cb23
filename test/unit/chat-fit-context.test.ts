import { describe, expect, it } from 'vitest';
import type { ChatContext, Passage } from '#shared/chat/model/context.ts';
import { MessageTooLongError } from '#shared/chat/turn/errors.ts';
import { fitContext } from '#shared/chat/turn/fit-context.ts';

const texts = { persona: 'You are a helpful assistant.', instructions: 'Cite passages.' };
const words = (count: number, word: string) => Array.from({ length: count }, () => word).join(' ');

function passage(n: number, text: string): Passage {
  return {
    n,
    documentId: `d${n}`,
    title: `T${n}`,
    source: `T${n}`,
    headingPath: [],
    pageRange: null,
    text,
    snippet: '',
    score: 1 / n,
  };
}

function candidates(): ChatContext {
  return {
    message: 'What is the travel policy?',
    history: Array.from({ length: 10 }, (_, i) => ({
      role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
      text: `turn ${i} ${words(200, 'history')}`,
    })),
    memories: [1, 2, 3].map((i) => ({
      messageId: `m${i}`,
      conversationId: 'c',
      text: `memory ${i} ${words(100, 'memory')}`,
      at: '2026-01-01T00:00:00.000Z',
      score: 1 / i,
    })),
    passages: [1, 2, 3, 4, 5].map((i) => passage(i, `passage ${i} ${words(300, 'knowledge')}`)),
  };
}

describe('fitContext', () => {
  it('keeps everything when it fits, without loading the tokenizer', async () => {
    const fitted = await fitContext(texts, candidates(), '<<<f>>>', 100_000);

    expect(fitted.context).toEqual(candidates());
  });

  it('drops the oldest turns and the lowest-ranked passages and memories first, within the budget', async () => {
    const budget = 2_000;

    const fitted = await fitContext(texts, candidates(), '<<<f>>>', budget);

    const { history, passages, memories } = fitted.context;
    expect(fitted.promptTokens).toBeLessThanOrEqual(budget);
    expect(history.length).toBeGreaterThan(0);
    expect(history.length).toBeLessThan(10);
    // The newest turns stay: a suffix of the history.
    expect(history).toEqual(candidates().history.slice(10 - history.length));
    // Whole turns: the kept history never opens with an answer.
    expect(history[0]?.role).toBe('user');
    // The best-ranked passages stay: a prefix.
    expect(passages.length).toBeGreaterThan(0);
    expect(passages.length).toBeLessThan(5);
    expect(passages.map((item) => item.n)).toEqual(passages.map((_, i) => i + 1));
    expect(memories.map((item) => item.messageId)).toEqual(
      ['m1', 'm2', 'm3'].slice(0, memories.length),
    );
  });

  it('gives a group the room the others leave', async () => {
    const onlyPassages = { ...candidates(), history: [], memories: [] };

    const fitted = await fitContext(texts, onlyPassages, '<<<f>>>', 2_000);

    // Alone, passages get the whole budget, not their share of it (~3 of 300 words each).
    expect(fitted.context.passages.length).toBe(5);
  });

  it('refuses a message that cannot fit with the instructions', async () => {
    const long = { ...candidates(), message: words(3_000, 'long') };

    await expect(fitContext(texts, long, '<<<f>>>', 2_000)).rejects.toBeInstanceOf(
      MessageTooLongError,
    );
  });
});
