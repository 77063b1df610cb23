/** Response shapes of the platform's API, as the CLI reads them. */

/** Where a passage of the knowledge base comes from: what a citation and a hit show. */
export interface Passage {
  documentId: string;
  title: string;
  source: string;
  headingPath: string[];
  pageRange: { from: number; to: number } | null;
  snippet: string;
  score: number;
}

export interface Citation extends Passage {
  n: number;
}

export interface Memory {
  messageId: string;
  conversationId: string;
  text: string;
  at: string;
  score: number;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface ChatAnswer {
  conversationId: string;
  messageId: string;
  answer: string;
  citations: Citation[];
  memories: Memory[];
  model: string;
  usage: Usage;
  mode: 'model' | 'offline';
}

export interface ChatMeta {
  conversationId: string;
  messageId: string;
  model: string;
  mode: 'model' | 'offline';
  passages: Citation[];
  memories: Memory[];
}

export interface ChatDone {
  conversationId: string;
  messageId: string;
  citations: Citation[];
  usage: Usage;
}

export interface ConversationSummary {
  id: string;
  userId: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  turnCount: number;
}

export interface ConversationTurn {
  messageId: string;
  user: { text: string; at: string };
  assistant: { text: string; at: string; citations: Citation[]; mode: string; model: string };
}

export interface Conversation extends Omit<ConversationSummary, 'turnCount'> {
  turns: ConversationTurn[];
}

export interface DocumentRecord {
  id: string;
  title: string;
  source: string;
  contentHash: string;
  fileSha256?: string;
  metadata: Record<string, string>;
  chunkCount: number;
  embedder: string;
  dimensions: number;
  indexedAt: string;
}

export interface IngestResult {
  id: string;
  status: 'created' | 'replaced' | 'unchanged';
  type: string;
  title: string;
  source: string;
  pageCount: number;
  chunkCount: number;
}

export interface SearchHit extends Passage {
  text: string;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  tenant: string;
  scopes: string[];
  userId?: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface ConfigText {
  text: string;
  source: 'tenant' | 'default';
  updatedAt: string | null;
}

export interface Preset {
  name: string;
  title: string;
  text: string;
}

export interface Presets {
  personas: Preset[];
  instructions: Preset[];
}
