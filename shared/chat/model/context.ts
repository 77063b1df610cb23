import type { PageRange } from '../../knowledge/index/index.ts';

/** A knowledge-base passage as the prompt numbers it and a citation shows it. */
export interface Passage {
  /** Its number in the prompt, which the answer cites as `[n]`. */
  n: number;
  documentId: string;
  title: string;
  source: string;
  headingPath: string[];
  pageRange: PageRange | null;
  text: string;
  snippet: string;
  score: number;
}

/** An earlier message of the user's, recalled from long-term memory. */
export interface RecalledMemory {
  messageId: string;
  conversationId: string;
  text: string;
  /** When it was said (ISO 8601). */
  at: string;
  score: number;
}

/** One message of the conversation so far. */
export interface HistoryMessage {
  role: 'user' | 'assistant';
  text: string;
  /** Who wrote it, where several people share the conversation (a Slack thread). */
  author?: string | undefined;
}

/** Everything an answer is written from, after it was fitted to the token budget. */
export interface ChatContext {
  message: string;
  history: HistoryMessage[];
  memories: RecalledMemory[];
  passages: Passage[];
}
