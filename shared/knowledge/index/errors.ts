import { PlatformError } from '../../platform/errors/base.ts';
import type { EmbedderIdentity } from './types.ts';

/** A namespace's vectors came from one embedder; a write or query used another. */
export class EmbedderMismatchError extends PlatformError {
  readonly statusCode = 409;
  readonly code = 'embedder_mismatch';
  readonly namespace: string;
  readonly expected: EmbedderIdentity;
  readonly actual: EmbedderIdentity;

  constructor(namespace: string, expected: EmbedderIdentity, actual: EmbedderIdentity) {
    super(
      `Namespace "${namespace}" holds vectors from ${describe(expected)} but this request used ` +
        `${describe(actual)}. Re-embed the namespace (reembedNamespace) before switching embedders.`,
    );
    this.name = 'EmbedderMismatchError';
    this.namespace = namespace;
    this.expected = expected;
    this.actual = actual;
  }
}

/** A document, chunk or name the index cannot store as given. */
export class InvalidIndexInputError extends PlatformError {
  readonly statusCode = 400;
  readonly code = 'invalid_index_input';

  constructor(message: string) {
    super(message);
    this.name = 'InvalidIndexInputError';
  }
}

/**
 * A multi-batch write lost its staged batches before the final flip (they expire after
 * an hour), or the namespace changed under a clear; nothing was changed. Retry the write.
 */
export class IndexWriteConflictError extends PlatformError {
  readonly statusCode = 409;
  readonly code = 'index_write_conflict';

  constructor(message: string) {
    super(message);
    this.name = 'IndexWriteConflictError';
  }
}

function describe(embedder: EmbedderIdentity): string {
  return `${embedder.id} (${embedder.dimensions} dimensions)`;
}

/**
 * A namespace holds more chunks than one container may keep in memory, so it is refused
 * before loading instead of exhausting the function's memory. 507: the request is
 * valid and retrying does not help; the operator gives the function more memory or the
 * tenant removes documents.
 */
export class IndexTooLargeError extends PlatformError {
  readonly statusCode = 507;
  readonly code = 'index_too_large';
  readonly chunkCount: number;
  readonly maxChunks: number;

  constructor(namespace: string, chunkCount: number, maxChunks: number) {
    super(
      `Namespace "${namespace}" holds ${chunkCount} chunks; this function can keep at most ` +
        `${maxChunks} in memory. Delete documents or give the function more memory.`,
    );
    this.name = 'IndexTooLargeError';
    this.chunkCount = chunkCount;
    this.maxChunks = maxChunks;
  }
}

/**
 * A stored snapshot of a namespace does not decode (a torn or foreign write). Never
 * reaches a caller: the index loads the namespace in full instead.
 */
export class SnapshotCorruptError extends PlatformError {
  readonly statusCode = 500;
  readonly code = 'internal_error';
  override readonly expose = false;

  constructor(detail: string) {
    super(`The namespace snapshot does not decode: ${detail}.`);
    this.name = 'SnapshotCorruptError';
  }
}

/**
 * Text blocks a cold load left in Redis are gone: a newer snapshot replaced the one the
 * namespace was loaded from before every block was in memory. The index catches it and
 * loads the namespace again; were one to escape, it asks the caller to retry.
 */
export class SnapshotTextGoneError extends PlatformError {
  readonly statusCode = 503;
  readonly code = 'index_reloading';
  override readonly retryAfterSeconds = 1;

  constructor() {
    super('The knowledge index is reloading. Retry shortly.');
    this.name = 'SnapshotTextGoneError';
  }
}
