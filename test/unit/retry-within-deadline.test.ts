import { describe, expect, it } from 'vitest';
import {
  NoTimeLeftError,
  retryWithinDeadline,
} from '#shared/platform/model/retry-within-deadline.ts';

/** A clock that only moves when the code under test sleeps or an attempt takes time. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
  };
}

const outage = { retryable: true };

describe('retryWithinDeadline', () => {
  it('retries retryable failures with exponential backoff up to maxRetries', async () => {
    // Prepare
    const clock = fakeClock();
    const timeouts: number[] = [];

    // Act
    const result = await retryWithinDeadline(
      async (timeoutMs) => {
        timeouts.push(timeoutMs);
        if (timeouts.length < 3) throw new Error('503');
        return 'ok';
      },
      { maxRetries: 5, attemptTimeoutMs: 2_000, classify: () => outage, ...clock },
    );

    // Assess
    expect(result).toBe('ok');
    expect(clock.sleeps).toEqual([500, 1_000]);
    expect(timeouts).toEqual([2_000, 2_000, 2_000]);
  });

  it('never gives an attempt a timeout reaching past the deadline', async () => {
    // Prepare
    const clock = fakeClock();
    const timeouts: number[] = [];

    // Act
    const outcome = await retryWithinDeadline(
      async (timeoutMs) => {
        timeouts.push(timeoutMs);
        clock.advance(timeoutMs); // each attempt runs until it times out
        throw new Error('timeout');
      },
      {
        maxRetries: 5,
        attemptTimeoutMs: 20_000,
        deadline: 28_500,
        classify: () => outage,
        ...clock,
      },
    ).catch((error: unknown) => error);

    // Assess: the retry after 500 ms of backoff gets only what is left of the 28.5 s.
    expect(timeouts).toEqual([20_000, 8_000]);
    expect(outcome).toEqual(new Error('timeout'));
    expect(clock.now()).toBeLessThanOrEqual(28_500);
  });

  it('stops retrying when the backoff and a useful attempt no longer fit', async () => {
    // Prepare
    const clock = fakeClock();
    let attempts = 0;

    // Act
    await retryWithinDeadline(
      async () => {
        attempts += 1;
        throw new Error('429');
      },
      {
        maxRetries: 10,
        attemptTimeoutMs: 5_000,
        deadline: 2_000,
        classify: () => outage,
        ...clock,
      },
    ).catch(() => undefined);

    // Assess: at 0 ms, then after 500 ms; the next backoff (1 s) plus 1 s of attempt passes 2 s.
    expect(attempts).toBe(2);
    expect(clock.sleeps).toEqual([500]);
  });

  it("waits the provider's Retry-After instead of its own backoff", async () => {
    // Prepare
    const clock = fakeClock();
    let attempts = 0;

    // Act
    await retryWithinDeadline(
      async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('429');
        return 'ok';
      },
      {
        maxRetries: 2,
        attemptTimeoutMs: 5_000,
        classify: () => ({ retryable: true, retryAfterMs: 3_000 }),
        ...clock,
      },
    );

    // Assess
    expect(clock.sleeps).toEqual([3_000]);
  });

  it('does not retry a failure that is not retryable', async () => {
    // Prepare
    const clock = fakeClock();
    let attempts = 0;

    // Act
    const outcome = retryWithinDeadline(
      async () => {
        attempts += 1;
        throw new Error('400');
      },
      { maxRetries: 3, attemptTimeoutMs: 1_000, classify: () => ({ retryable: false }), ...clock },
    );

    // Assess
    await expect(outcome).rejects.toThrow('400');
    expect(attempts).toBe(1);
  });

  it('starts no attempt when less than the minimum attempt time is left', async () => {
    // Prepare
    const clock = fakeClock();
    let attempts = 0;

    // Act
    const outcome = retryWithinDeadline(
      async () => {
        attempts += 1;
        return 'ok';
      },
      { maxRetries: 3, attemptTimeoutMs: 1_000, deadline: 999, classify: () => outage, ...clock },
    );

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(NoTimeLeftError);
    expect(attempts).toBe(0);
  });

  it('starts no retry once the caller has aborted', async () => {
    // Prepare
    const clock = fakeClock();
    const aborted = new AbortController();
    let attempts = 0;

    // Act
    const outcome = retryWithinDeadline(
      async () => {
        attempts += 1;
        aborted.abort(new Error('answered already'));
        throw new Error('503');
      },
      {
        maxRetries: 3,
        attemptTimeoutMs: 1_000,
        classify: () => outage,
        signal: aborted.signal,
        ...clock,
      },
    );

    // Assess
    await expect(outcome).rejects.toThrow('answered already');
    expect(attempts).toBe(1);
  });
});
