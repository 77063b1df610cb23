import type { Settings } from './schema.ts';

/** The validated configuration, grouped by concern. Built once per cold start. */
export interface Config {
  stage: string;
  logLevel: Settings['LOG_LEVEL'];
  openai: {
    /** Absent means offline mode: local embedder and extractive answers. */
    apiKey: string | undefined;
    baseUrl: string | undefined;
    chatModel: string;
    embeddingModel: string;
    embeddingDimensions: number;
    timeoutMs: number;
    maxRetries: number;
    batchMaxInputs: number;
    batchMaxTokens: number;
  };
  chat: {
    historyTurns: number;
    maxStoredTurns: number;
    retentionDays: number;
    contextTokens: number;
    maxAnswerTokens: number;
  };
  redis: { url: string; token: string } | undefined;
  slack: { botToken: string; signingSecret: string } | undefined;
  slackApp: {
    /** Base URL of Slack's Web API, ending in `/`; absent means Slack's own. */
    apiUrl: string | undefined;
    /** Tenant of a workspace no mapping names; absent: unmapped workspaces get nothing. */
    defaultTenant: string | undefined;
  };
  auth: {
    /** SHA-256 (hex) of the bootstrap admin key; the key itself is never configured. */
    adminApiKeySha256: string | undefined;
    adminTenant: string;
  };
  limits: {
    requestsPerMinute: number;
    slackRequestsPerMinute: number;
    maxRequestBytes: number;
    documentMaxBytes: number;
    documentMaxPages: number;
    documentMaxCharacters: number;
    documentMaxChunks: number;
    documentParseTimeoutMs: number;
  };
  cors: { allowedOrigins: string[] };
  /** Per tenant, across all its namespaces; enforced atomically where each is written. */
  quotas: { maxDocuments: number; maxChunks: number; maxApiKeys: number };
}

export function toConfig(settings: Settings): Config {
  return {
    stage: settings.STAGE,
    logLevel: settings.LOG_LEVEL,
    openai: {
      apiKey: settings.OPENAI_API_KEY,
      baseUrl: settings.OPENAI_BASE_URL,
      chatModel: settings.OPENAI_CHAT_MODEL,
      embeddingModel: settings.OPENAI_EMBEDDING_MODEL,
      embeddingDimensions: settings.EMBEDDING_DIMENSIONS,
      timeoutMs: settings.OPENAI_TIMEOUT_MS,
      maxRetries: settings.OPENAI_MAX_RETRIES,
      batchMaxInputs: settings.EMBEDDING_BATCH_MAX_INPUTS,
      batchMaxTokens: settings.EMBEDDING_BATCH_MAX_TOKENS,
    },
    chat: {
      historyTurns: settings.CHAT_HISTORY_TURNS,
      maxStoredTurns: settings.CHAT_MAX_STORED_TURNS,
      retentionDays: settings.CHAT_RETENTION_DAYS,
      contextTokens: settings.CHAT_CONTEXT_TOKENS,
      maxAnswerTokens: settings.CHAT_MAX_ANSWER_TOKENS,
    },
    redis:
      settings.UPSTASH_REDIS_REST_URL && settings.UPSTASH_REDIS_REST_TOKEN
        ? { url: settings.UPSTASH_REDIS_REST_URL, token: settings.UPSTASH_REDIS_REST_TOKEN }
        : undefined,
    slack:
      settings.SLACK_BOT_TOKEN && settings.SLACK_SIGNING_SECRET
        ? { botToken: settings.SLACK_BOT_TOKEN, signingSecret: settings.SLACK_SIGNING_SECRET }
        : undefined,
    slackApp: {
      apiUrl:
        settings.SLACK_API_URL === undefined
          ? undefined
          : settings.SLACK_API_URL.endsWith('/')
            ? settings.SLACK_API_URL
            : `${settings.SLACK_API_URL}/`,
      defaultTenant: settings.SLACK_DEFAULT_TENANT,
    },
    auth: {
      adminApiKeySha256: settings.ADMIN_API_KEY_SHA256,
      adminTenant: settings.ADMIN_TENANT,
    },
    limits: {
      requestsPerMinute: settings.RATE_LIMIT_PER_MINUTE,
      slackRequestsPerMinute: settings.SLACK_RATE_LIMIT_PER_MINUTE,
      maxRequestBytes: settings.MAX_REQUEST_BYTES,
      documentMaxBytes: settings.DOCUMENT_MAX_BYTES,
      documentMaxPages: settings.DOCUMENT_MAX_PAGES,
      documentMaxCharacters: settings.DOCUMENT_MAX_CHARACTERS,
      documentMaxChunks: settings.DOCUMENT_MAX_CHUNKS,
      documentParseTimeoutMs: settings.DOCUMENT_PARSE_TIMEOUT_MS,
    },
    cors: { allowedOrigins: settings.CORS_ALLOWED_ORIGINS },
    quotas: {
      maxDocuments: settings.TENANT_MAX_DOCUMENTS,
      maxChunks: settings.TENANT_MAX_CHUNKS,
      maxApiKeys: settings.TENANT_MAX_API_KEYS,
    },
  };
}
