import { loadTokenizer } from '../../knowledge/embeddings/index.ts';
import type { ChatContext } from '../model/context.ts';
import { MessageTooLongError } from './errors.ts';
import { type PromptParts, type PromptTexts, renderPromptParts } from './prompt.ts';

/** Tokens a chat message costs beyond its text (role and separators), rounded up. */
const MESSAGE_OVERHEAD_TOKENS = 4;
/** The block headings around memories and passages. */
const SCAFFOLD_TOKENS = 80;

/**
 * Shares of the budget when not everything fits. A group that needs less than its share
 * leaves the rest to the others, so nothing is dropped while room is left.
 */
const SHARES = { passages: 0.5, history: 0.35, memories: 0.15 } as const;
type Group = keyof typeof SHARES;

export interface FittedContext {
  context: ChatContext;
  parts: PromptParts;
  /** Prompt tokens as counted (an upper bound when counted by bytes). */
  promptTokens: number;
}

/**
 * Fits a turn's context into `budget` prompt tokens. What goes first when it does not
 * fit: the oldest turns, the lowest-ranked memories and the lowest-ranked passages, each
 * group within its share. Tokens are counted with the cl100k tokenizer, which counts at
 * least as many as the o200k one of newer models, so the fit is conservative; when the
 * UTF-8 bytes of everything fit, no tokenizer is loaded (a token is at least one byte).
 *
 * `searched` is false when the turn asked for no passages (`k` = 0), so the prompt does
 * not claim that none matched.
 *
 * @throws MessageTooLongError when the message and the fixed instructions alone do not fit
 */
export async function fitContext(
  texts: PromptTexts,
  candidates: ChatContext,
  fence: string,
  budget: number,
  searched = true,
): Promise<FittedContext> {
  const parts = renderPromptParts(texts, candidates, fence, searched);
  const items: Record<Group, string[]> = {
    passages: parts.passages,
    // Newest first: the oldest turns are the first to go.
    history: parts.history.map((message) => message.content).reverse(),
    memories: parts.memories,
  };
  const fixedTexts = [parts.system, parts.question];
  const all = [...fixedTexts, ...items.passages, ...items.history, ...items.memories];
  const byteCount = (text: string) => Buffer.byteLength(text, 'utf8');
  const itemCount = all.length - fixedTexts.length;
  const bytes = all.reduce((sum, text) => sum + byteCount(text), 0);
  const upperBound = bytes + SCAFFOLD_TOKENS + (itemCount + 2) * MESSAGE_OVERHEAD_TOKENS;
  if (upperBound <= budget) return { context: candidates, parts, promptTokens: upperBound };

  const { countTokens } = await loadTokenizer();
  const cost = (text: string) => countTokens(text) + MESSAGE_OVERHEAD_TOKENS;
  const fixed = SCAFFOLD_TOKENS + fixedTexts.reduce((sum, text) => sum + cost(text), 0);
  if (fixed > budget) throw new MessageTooLongError(fixed, budget);
  const costs = {
    passages: items.passages.map(cost),
    history: items.history.map(cost),
    memories: items.memories.map(cost),
  };
  const allotments = shareOut(budget - fixed, {
    passages: sum(costs.passages),
    history: sum(costs.history),
    memories: sum(costs.memories),
  });
  const kept = {
    passages: prefixWithin(costs.passages, allotments.passages),
    history: prefixWithin(costs.history, allotments.history),
    memories: prefixWithin(costs.memories, allotments.memories),
  };
  let historyKept = candidates.history.slice(candidates.history.length - kept.history);
  // A cut inside a turn would open with an answer to a question the model never sees.
  while (historyKept[0]?.role === 'assistant') historyKept = historyKept.slice(1);
  const context: ChatContext = {
    message: candidates.message,
    history: historyKept,
    memories: candidates.memories.slice(0, kept.memories),
    passages: candidates.passages.slice(0, kept.passages),
  };
  const promptTokens =
    fixed +
    sum(costs.passages.slice(0, kept.passages)) +
    sum(costs.history.slice(0, kept.history)) +
    sum(costs.memories.slice(0, kept.memories));
  return { context, parts: renderPromptParts(texts, context, fence, searched), promptTokens };
}

/** Water-filling: each group gets its share, and what one does not need goes to the rest. */
function shareOut(available: number, needs: Record<Group, number>): Record<Group, number> {
  const allotted: Record<Group, number> = { passages: 0, history: 0, memories: 0 };
  let open = (Object.keys(SHARES) as Group[]).filter((group) => needs[group] > 0);
  let left = available;
  while (open.length > 0 && left > 0) {
    const weight = open.reduce((total, group) => total + SHARES[group], 0);
    const satisfied = open.filter(
      (group) => needs[group] - allotted[group] <= (left * SHARES[group]) / weight,
    );
    if (satisfied.length === 0) {
      for (const group of open) allotted[group] += Math.floor((left * SHARES[group]) / weight);
      break;
    }
    for (const group of satisfied) {
      left -= needs[group] - allotted[group];
      allotted[group] = needs[group];
    }
    open = open.filter((group) => !satisfied.includes(group));
  }
  return allotted;
}

/** How many leading items fit within `allowance`. */
function prefixWithin(costs: readonly number[], allowance: number): number {
  let used = 0;
  for (let i = 0; i < costs.length; i += 1) {
    used += costs[i] as number;
    if (used > allowance) return i;
  }
  return costs.length;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
