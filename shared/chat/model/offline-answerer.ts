import { tokenize } from '../../knowledge/index/index.ts';
import { cutText } from '../../platform/validation/cut-text.ts';
import type { ChatModel } from './chat-model.ts';
import { withoutCitationMarks } from './citation-marks.ts';

export const OFFLINE_ANSWERER_NAME = 'offline-extractive';

/** Passages quoted, at most, and the longest quote taken from each. */
const MAX_QUOTES = 3;
const MAX_QUOTE_CHARACTERS = 320;
const MIN_SENTENCE_WORDS = 4;

/**
 * The {@link ChatModel} of offline mode (no model key): it writes no prose of its own but
 * quotes, from each of the best passages, the sentence that shares the most terms with
 * the question, citing it as `[n]`, and mentions the best recalled memory. Deterministic,
 * streamed word by word like a model, so every client path works without an account.
 */
export function createOfflineAnswerer(): ChatModel {
  return {
    mode: 'offline',
    name: OFFLINE_ANSWERER_NAME,
    async answer({ context, onDelta, signal }) {
      const text = offlineAnswer(context.message, context.passages, context.memories);
      for (const piece of text.match(/\S+\s*|\s+/g) ?? []) {
        signal?.throwIfAborted();
        onDelta?.(piece);
      }
      return {
        text,
        model: OFFLINE_ANSWERER_NAME,
        usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      };
    },
  };
}

function offlineAnswer(
  message: string,
  passages: readonly { n: number; title: string; text: string }[],
  memories: readonly { text: string; at: string }[],
): string {
  const terms = new Set(tokenize(message));
  const lines: string[] = [];
  if (passages.length === 0) {
    lines.push(
      'Offline mode (no model configured): nothing in the knowledge base matches this question.',
    );
  } else {
    lines.push('Offline mode (no model configured). The most relevant passages say:', '');
    for (const passage of passages.slice(0, MAX_QUOTES)) {
      lines.push(`> ${bestSentence(passage.text, terms)} [${passage.n}]`);
    }
  }
  const memory = memories[0];
  if (memory) {
    lines.push('', `You said earlier (${memory.at.slice(0, 10)}): "${quote(memory.text)}"`);
  }
  return lines.join('\n');
}

/**
 * The sentence sharing the most terms with the question; the first one on a tie. Short
 * lines (headings, list labels) are passed over while the passage has a real sentence.
 */
function bestSentence(text: string, terms: ReadonlySet<string>): string {
  const all = sentencesOf(text);
  const full = all.filter((sentence) => sentence.split(/\s+/).length >= MIN_SENTENCE_WORDS);
  let best = '';
  let bestScore = -1;
  for (const sentence of full.length > 0 ? full : all) {
    const score = new Set(tokenize(sentence).filter((term) => terms.has(term))).size;
    if (score > bestScore) {
      best = sentence;
      bestScore = score;
    }
  }
  return quote(best);
}

function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  // A scan instead of a split on a pattern: linear on any input.
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    const ends =
      char === '\n' ||
      ((char === '.' || char === '!' || char === '?') && /\s/.test(text[i + 1] ?? ' '));
    if (ends) {
      const sentence = text.slice(start, i + 1).trim();
      if (sentence !== '') sentences.push(sentence);
      start = i + 1;
    }
  }
  const rest = text.slice(start).trim();
  if (rest !== '') sentences.push(rest);
  return sentences;
}

/** One line, without citation marks of its own (the quote's mark is added after it). */
function quote(text: string): string {
  const flat = withoutCitationMarks(text).replace(/\s+/g, ' ').trim();
  return cutText(flat, MAX_QUOTE_CHARACTERS);
}
