import type { Logger, LogLevel } from '@slack/logger';

/**
 * Bolt's and the Web API client's logger, dropping everything: the platform logs each
 * request and job itself, and the clients' own lines would carry request arguments
 * (questions, answers) past the platform's redaction.
 */
export const quietSlackLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => 'error' as LogLevel,
  setName: () => undefined,
};
