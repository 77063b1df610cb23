import { PlatformError } from '../errors/base.ts';

/** The tenant-wide quotas, by the setting that sets each. */
export const QUOTA_SETTINGS = {
  documents: 'TENANT_MAX_DOCUMENTS',
  chunks: 'TENANT_MAX_CHUNKS',
  api_keys: 'TENANT_MAX_API_KEYS',
} as const;

export type QuotaName = keyof typeof QUOTA_SETTINGS;

/**
 * A write would take the tenant past one of its quotas; nothing was written. 409, not
 * 429: waiting does not help, only deleting something (or the operator raising the
 * setting) does, and a client that retries 429s automatically would retry forever.
 */
export class QuotaExceededError extends PlatformError {
  readonly statusCode = 409;
  readonly code = 'quota_exceeded';
  readonly quota: QuotaName;
  readonly limit: number;

  constructor(quota: QuotaName, limit: number) {
    super(
      `The tenant's ${quota.replace('_', ' ')} quota (${QUOTA_SETTINGS[quota]} = ${limit}) is ` +
        'reached; nothing was written. Delete some, or ask the operator to raise it.',
    );
    this.name = 'QuotaExceededError';
    this.quota = quota;
    this.limit = limit;
  }
}
