import { KNOWLEDGE_BASE_NAMESPACE } from '../index/keys.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import type { DocumentRecord } from '../index/types.ts';
import { ClearNotConfirmedError, DocumentNotFoundError } from './errors.ts';

const knowledgeBase = (tenant: string) => ({ tenant, namespace: KNOWLEDGE_BASE_NAMESPACE });

export interface DocumentPage {
  documents: DocumentRecord[];
  nextCursor: string | null;
}

/**
 * A page of a tenant's documents ordered by id. The cursor is the last id of the page,
 * so pages stay stable while documents are added or removed elsewhere in the list.
 */
export async function listDocumentPage(
  index: KnowledgeIndex,
  tenant: string,
  options: { limit: number; cursor?: string | undefined; source?: string | undefined },
): Promise<DocumentPage> {
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  const records = (await index.listDocuments(knowledgeBase(tenant)))
    .filter((record) => options.source === undefined || record.source === options.source)
    .filter((record) => after === undefined || record.id > after)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const documents = records.slice(0, options.limit);
  const last = documents.at(-1);
  return {
    documents,
    nextCursor: records.length > options.limit && last ? encodeCursor(last.id) : null,
  };
}

export async function getDocumentRecord(
  index: KnowledgeIndex,
  tenant: string,
  id: string,
): Promise<DocumentRecord> {
  const record = await index.getDocument(knowledgeBase(tenant), id);
  if (!record) throw new DocumentNotFoundError(id);
  return record;
}

export async function deleteDocument(
  index: KnowledgeIndex,
  tenant: string,
  id: string,
): Promise<void> {
  if (!(await index.deleteDocument(knowledgeBase(tenant), id))) throw new DocumentNotFoundError(id);
}

/** Empties the tenant's knowledge base; `confirm` must name the tenant. */
export async function clearKnowledgeBase(
  index: KnowledgeIndex,
  tenant: string,
  confirm: string,
): Promise<{ deleted: number }> {
  if (confirm !== tenant) throw new ClearNotConfirmedError();
  return { deleted: await index.clearNamespace(knowledgeBase(tenant)) };
}

function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}
