import * as z from 'zod';
import { TENANT_PATTERN } from '../tenancy/tenant.ts';

const secretText = (minLength: number) =>
  z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(z.string().min(minLength, `must be at least ${minLength} characters`).optional())
    .optional();
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Tokens and document text travel to these URLs: plain http only to this machine. */
const url = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }))
  .refine(
    (value) => {
      // A malformed URL is reported by the check above; zod runs this one regardless.
      if (!URL.canParse(value)) return true;
      const { protocol, hostname } = new URL(value);
      return protocol === 'https:' || LOOPBACK_HOSTS.has(hostname);
    },
    { error: 'must be https (plain http only for localhost)' },
  );
const csv = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  );

/**
 * Every setting the platform reads, by its environment / secret key. Each is documented
 * in `.env.example` and the README's configuration table.
 */
export const settingsSchema = z
  .object({
    OPENAI_API_KEY: secretText(8),
    OPENAI_BASE_URL: url.optional(),
    OPENAI_CHAT_MODEL: z.string().min(1).default('gpt-4o-mini'),
    OPENAI_EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
    EMBEDDING_DIMENSIONS: z.coerce.number().int().min(16).max(3072).default(512),
    OPENAI_TIMEOUT_MS: positiveInt(20_000),
    OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
    EMBEDDING_BATCH_MAX_INPUTS: z.coerce.number().int().min(1).max(2048).default(512),
    EMBEDDING_BATCH_MAX_TOKENS: z.coerce.number().int().min(1000).max(300_000).default(200_000),

    // Recent turns a chat answer sees; the window below may cut the oldest of them.
    CHAT_HISTORY_TURNS: z.coerce.number().int().min(0).max(100).default(20),
    // Stored turns per conversation: older ones are dropped as new ones are written.
    CHAT_MAX_STORED_TURNS: z.coerce.number().int().min(1).max(1_000).default(200),
    CHAT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
    // Tokens one model request may use, prompt and answer together: bounds cost per turn.
    CHAT_CONTEXT_TOKENS: z.coerce.number().int().min(2_000).max(1_000_000).default(16_000),
    CHAT_MAX_ANSWER_TOKENS: z.coerce.number().int().min(64).max(16_000).default(1_024),

    UPSTASH_REDIS_REST_URL: url.optional(),
    UPSTASH_REDIS_REST_TOKEN: secretText(8),

    SLACK_BOT_TOKEN: secretText(8),
    SLACK_SIGNING_SECRET: secretText(8),
    // Tests and `npm run dev` point the Web API client at a local stand-in; empty is Slack's.
    SLACK_API_URL: url.optional(),
    // Empty: only workspaces an operator mapped get answers, so a stray install gets nothing.
    SLACK_DEFAULT_TENANT: z
      .string()
      .trim()
      .transform((value) => (value === '' ? undefined : value))
      .pipe(
        z.string().regex(TENANT_PATTERN, 'must be lowercase letters, digits and dashes').optional(),
      )
      .optional(),

    // Only the key's SHA-256: the settings (and whoever can read them) never hold the key.
    ADMIN_API_KEY_SHA256: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[0-9a-f]{64}$/, 'must be 64 hex characters, the SHA-256 of the key')
      .optional(),
    ADMIN_TENANT: z
      .string()
      .regex(TENANT_PATTERN, 'must be lowercase letters, digits and dashes')
      .default('default'),

    RATE_LIMIT_PER_MINUTE: positiveInt(120),
    SLACK_RATE_LIMIT_PER_MINUTE: positiveInt(20),
    CORS_ALLOWED_ORIGINS: csv,
    MAX_REQUEST_BYTES: positiveInt(1024 * 1024),

    // Lambda refuses invocations over 6 MB, so no body cap can usefully be larger.
    DOCUMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .max(6 * 1024 * 1024)
      .default(4 * 1024 * 1024),
    DOCUMENT_MAX_PAGES: positiveInt(1_000),
    DOCUMENT_MAX_CHARACTERS: positiveInt(5_000_000),
    DOCUMENT_MAX_CHUNKS: positiveInt(5_000),
    DOCUMENT_PARSE_TIMEOUT_MS: positiveInt(20_000),
    // The default chunk quota fits one tenant's knowledge base in the search function's memory.
    TENANT_MAX_DOCUMENTS: positiveInt(10_000),
    // A cold search container loads ~100k chunks in ~7 s; more would outlast its 15 s.
    TENANT_MAX_CHUNKS: positiveInt(150_000),
    TENANT_MAX_API_KEYS: positiveInt(100),

    LOG_LEVEL: z
      .string()
      .transform((value) => value.toUpperCase())
      .pipe(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']))
      .default('INFO'),
    STAGE: z.string().min(1).default('local'),
  })
  // Otherwise every chat turn would be refused as too long: a setting's mistake, not the caller's.
  .refine((settings) => settings.CHAT_MAX_ANSWER_TOKENS * 2 <= settings.CHAT_CONTEXT_TOKENS, {
    path: ['CHAT_MAX_ANSWER_TOKENS'],
    message: 'must be at most half of CHAT_CONTEXT_TOKENS',
  });

export type Settings = z.infer<typeof settingsSchema>;

/** Names of settings whose values are secrets: never logged, printed or returned. */
export const secretSettingNames = [
  'OPENAI_API_KEY',
  'UPSTASH_REDIS_REST_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'ADMIN_API_KEY_SHA256',
] as const satisfies readonly (keyof Settings)[];
