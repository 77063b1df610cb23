import { logger } from '../logging/logger.ts';

/**
 * Logs a request's failure by the status it was answered with: a 500 is a bug, a 503 an
 * expected outage of a dependency (a warning, not a page); 4xx are the caller's and not
 * logged here.
 */
export function logFailure(statusCode: number, requestId: string, error: unknown): void {
  if (statusCode === 500) {
    logger.error('unhandled error', { requestId, error: error as Error });
  } else if (statusCode >= 500) {
    logger.warn('dependency unavailable', { requestId, error: error as Error });
  }
}
