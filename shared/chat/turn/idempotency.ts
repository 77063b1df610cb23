import { createHash, randomBytes } from 'node:crypto';
import type { Pipeline } from '@upstash/redis';
import { type Redis, redisCall } from '../../platform/redis/index.ts';
import { tenantKeys } from '../../platform/tenancy/index.ts';
import { IdempotencyInProgressError, IdempotencyKeyReusedError } from './errors.ts';
import type { ChatTurnMeta, ChatTurnResult } from './result.ts';

/** What a caller's `Idempotency-Key` names: the key, scoped to the API key that sent it. */
export interface IdempotencyRequest {
  /** The API key's id: two callers' equal header values never meet. */
  scope: string;
  key: string;
}

/** How long a finished turn is replayed, and how long a crashed one blocks its key. */
export const IDEMPOTENCY_RESULT_SECONDS = 24 * 60 * 60;

type Record_ =
  | { state: 'running'; token: string; fingerprint: string }
  | { state: 'done'; fingerprint: string; result: ChatTurnResult; meta: ChatTurnMeta };

/** This request's hold on its key, once the claim succeeded. */
export interface ClaimedKey {
  kind: 'claimed';
  redisKey: string;
  token: string;
  fingerprint: string;
}

/** The outcome of a claim: this request runs the turn, or the first one's result replays. */
export type Claim = ClaimedKey | { kind: 'replay'; result: ChatTurnResult; meta: ChatTurnMeta };

/** A claim queued in a pipeline: what it would hold, and how to read its reply. */
export interface PendingClaim {
  /** This request's hold if the claim succeeds: what to free if the request fails. */
  mine: ClaimedKey;
  read(replies: readonly unknown[]): Claim;
}

/**
 * Queues the claim of an idempotency key in the turn's read pipeline: one `SET NX GET`,
 * which takes the key for this request unless it is taken, and returns what it held.
 * The running mark expires after `runningSeconds` (the function's time limit and a
 * margin), so a crashed request never blocks its key for good.
 *
 * The returned function throws {@link IdempotencyInProgressError} (409) while the first
 * request runs and {@link IdempotencyKeyReusedError} (422) for a different request.
 */
export function queueIdempotencyClaim(
  pipeline: Pipeline,
  tenant: string,
  request: IdempotencyRequest,
  fingerprint: string,
  runningSeconds: number,
): PendingClaim {
  const redisKey = tenantKeys(tenant).chatIdempotency(request.scope, request.key);
  const token = randomBytes(9).toString('base64url');
  const running: Record_ = { state: 'running', token, fingerprint };
  const offset = pipeline.length();
  pipeline.set(redisKey, JSON.stringify(running), { nx: true, ex: runningSeconds, get: true });
  const mine: ClaimedKey = { kind: 'claimed', redisKey, token, fingerprint };
  return {
    mine,
    read: (replies) => {
      const previous = parseRecord(replies[offset]);
      if (!previous) return mine;
      if (previous.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
      if (previous.state === 'running') throw new IdempotencyInProgressError();
      return { kind: 'replay', result: previous.result, meta: previous.meta };
    },
  };
}

/** The record a finished turn leaves under its key, written with the turn itself. */
export function doneRecord(claim: ClaimedKey, result: ChatTurnResult, meta: ChatTurnMeta): string {
  return JSON.stringify({
    state: 'done',
    fingerprint: claim.fingerprint,
    result,
    meta,
  } satisfies Record_);
}

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Frees the key after a failed turn, so the caller's retry runs; only this request's mark. */
export async function releaseClaim(redis: Redis, claim: ClaimedKey): Promise<void> {
  const running: Record_ = { state: 'running', token: claim.token, fingerprint: claim.fingerprint };
  await redisCall(() => redis.eval(RELEASE, [claim.redisKey], [JSON.stringify(running)]));
}

/** The same user, conversation, message and options: the same request. */
export function requestFingerprint(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

function parseRecord(value: unknown): Record_ | undefined {
  if (value === null || value === undefined) return undefined;
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record_;
}
