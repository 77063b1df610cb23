import { describe, expect, it } from 'vitest';
import type { ChatContext } from '#shared/chat/model/context.ts';
import { createOfflineAnswerer } from '#shared/chat/model/offline-answerer.ts';

const context: ChatContext = {
  message: 'How long do refunds take?',
  history: [],
  memories: [
    {
      messageId: 'm',
      conversationId: 'c',
      text: 'I bought the annual plan.',
      at: '2026-10-05T10:00:00.000Z',
      score: 1,
    },
  ],
  passages: [
    {
      n: 1,
      documentId: 'd',
      title: 'Billing',
      source: 'billing.md',
      headingPath: ['Refunds'],
      pageRange: null,
      text: '# Refunds\n\nWe love our customers. Refunds are issued within 14 days of purchase. Contact billing.',
      snippet: '',
      score: 1,
    },
  ],
};

describe('the offline answerer', () => {
  it('quotes the sentence that best matches the question, cites it, and streams it word by word', async () => {
    const pieces: string[] = [];

    const answer = await createOfflineAnswerer().answer({
      messages: [],
      context,
      maxAnswerTokens: 100,
      onDelta: (piece) => pieces.push(piece),
    });

    expect(answer.text).toContain('> Refunds are issued within 14 days of purchase. [1]');
    expect(answer.text).toContain('You said earlier (2026-10-05): "I bought the annual plan."');
    expect(answer.text.startsWith('Offline mode')).toBe(true);
    expect(pieces.join('')).toBe(answer.text);
    expect(pieces.length).toBeGreaterThan(10);
    expect(answer.model).toBe('offline-extractive');
  });

  it('says when nothing matched', async () => {
    const answer = await createOfflineAnswerer().answer({
      messages: [],
      context: { ...context, passages: [], memories: [] },
      maxAnswerTokens: 100,
    });

    expect(answer.text).toBe(
      'Offline mode (no model configured): nothing in the knowledge base matches this question.',
    );
  });
});
