import { isTenant, tenantKeys } from '../../platform/tenancy/index.ts';
import { InvalidIndexInputError } from './errors.ts';
import type { NamespaceRef } from './types.ts';

// No colon: the namespace is exactly one key segment, so keys of two namespaces never collide.
const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const DOCUMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,255}$/;

/** The namespace of a tenant's knowledge base. */
export const KNOWLEDGE_BASE_NAMESPACE = 'kb';

/** Whether the namespace is the knowledge base, the only one tenant quotas cap. */
export function isKnowledgeBase(ref: NamespaceRef): boolean {
  return ref.namespace === KNOWLEDGE_BASE_NAMESPACE;
}

/** The namespace of one user's long-term memory. */
export function memoryNamespace(userId: string): string {
  const namespace = `memory.${userId}`;
  if (!NAMESPACE.test(namespace)) {
    throw new InvalidIndexInputError(
      'A user id for memory must be letters, digits, dots, underscores or dashes (at most 120).',
    );
  }
  return namespace;
}

/** Every Redis key of one namespace; all start with `agent:{tenant}:`. */
export interface NamespaceKeys {
  /** Hash: `embedder`, `dimensions`, `chunks` (live chunks, kept by the write scripts). */
  meta: string;
  /** Counter bumped by every write. */
  version: string;
  /** Sorted set of `{version}:{op}:{documentId}` scored by version: what each write changed. */
  log: string;
  /** Hash: document id -> record JSON. */
  documents: string;
  /** Hash: content hash -> document id. */
  hashes: string;
  /** Hash of one document: `record`, `contentHash`, `layout` and its parts `p0`, `p1`, ... */
  document(documentId: string): string;
  /** Where a multi-batch write stages parts before the flip. */
  stage(documentId: string, writeId: string): string;
  /**
   * Hash: the stored snapshot in use, `generation`, `version` (the namespace version it
   * covers) and `manifest` (JSON). Absent when there is none.
   */
  snapshot: string;
  /** One segment of a snapshot generation (a string; expires until the pointer names it). */
  snapshotSegment(generation: string, index: number): string;
  /** Held (with an expiry) by the one container writing a new snapshot. */
  snapshotClaim: string;
  /**
   * Hash: `documents` and `chunks` of the tenant's knowledge base (quotas apply), or of
   * all its users' memory namespaces (no quota: a chat turn must never fail on one).
   */
  usage: string;
}

export function namespaceKeys(ref: NamespaceRef): NamespaceKeys {
  assertNamespaceRef(ref);
  const tenant = tenantKeys(ref.tenant);
  const base = tenant.index(ref.namespace);
  return {
    meta: `${base}:meta`,
    version: `${base}:version`,
    log: `${base}:log`,
    documents: `${base}:documents`,
    hashes: `${base}:hashes`,
    document: (documentId) => `${base}:doc:${documentId}`,
    stage: (documentId, writeId) => `${base}:stage:${writeId}:${documentId}`,
    snapshot: `${base}:snapshot`,
    snapshotSegment: (generation, index) => `${base}:snapshot:${generation}:${index}`,
    snapshotClaim: `${base}:snapshot-claim`,
    usage: isKnowledgeBase(ref) ? tenant.usage : tenant.memoryUsage,
  };
}

export function assertNamespaceRef(ref: NamespaceRef): void {
  if (!isTenant(ref.tenant)) {
    throw new InvalidIndexInputError('The tenant must be lowercase letters, digits and dashes.');
  }
  if (!NAMESPACE.test(ref.namespace)) {
    throw new InvalidIndexInputError(
      'The namespace must be letters, digits, dots, underscores or dashes (at most 128).',
    );
  }
}

export function assertDocumentId(documentId: string): void {
  if (!DOCUMENT_ID.test(documentId)) {
    throw new InvalidIndexInputError(
      'A document id must be 1-256 letters, digits or . _ : / @ - and start with a letter or digit.',
    );
  }
}
