import type { Context } from 'aws-lambda';
import { DeadlineExceededError } from '../errors/index.ts';

/** Time kept back from the Lambda's limit to answer and log before it is reached. */
const DEADLINE_MARGIN_MS = 500;

/**
 * Epoch milliseconds by which an invocation must have answered: its time limit less
 * {@link DEADLINE_MARGIN_MS}. Domain calls that retry (the model) stop before it.
 */
export function deadlineOf(context: Pick<Context, 'getRemainingTimeInMillis'>): number {
  return Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
}

/**
 * middy's early timeout: just before the Lambda's own limit would cut the invocation off
 * (a slow model or Redis), fail with a clean 503 `deadline_exceeded` instead.
 */
export const earlyTimeout = {
  timeoutEarlyInMillis: DEADLINE_MARGIN_MS,
  timeoutEarlyResponse: (): never => {
    throw new DeadlineExceededError();
  },
} as const;
