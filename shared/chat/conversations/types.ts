import type { TokenUsage } from '../model/chat-model.ts';

/** A passage the answer cited, as stored with the turn and returned to the caller. */
export interface Citation {
  n: number;
  documentId: string;
  title: string;
  source: string;
  headingPath: string[];
  pageRange: { from: number; to: number } | null;
  snippet: string;
  score: number;
}

/** One stored exchange: the user's message and the answer to it. */
export interface StoredTurn {
  messageId: string;
  user: { text: string; at: string; author?: string };
  assistant: {
    text: string;
    at: string;
    citations: Citation[];
    mode: 'model' | 'offline';
    model: string;
    usage: TokenUsage;
  };
}

/** What a conversation's list entry shows. */
export interface ConversationSummary {
  id: string;
  userId: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  turnCount: number;
}
