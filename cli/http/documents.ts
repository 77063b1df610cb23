import type { ApiClient } from './client.ts';
import type { DocumentRecord } from './types.ts';

const PAGE = 200;

/** Every document of the knowledge base, following `nextCursor` page by page. */
export async function listAllDocuments(
  client: ApiClient,
  options: { source?: string | undefined; limit?: number | undefined } = {},
): Promise<DocumentRecord[]> {
  const documents: DocumentRecord[] = [];
  let cursor: string | undefined;
  do {
    const wanted =
      options.limit === undefined ? PAGE : Math.min(PAGE, options.limit - documents.length);
    const page = await client.json<{ documents: DocumentRecord[]; nextCursor: string | null }>({
      path: '/v1/documents',
      query: { limit: wanted, cursor, source: options.source },
      scope: 'documents:read',
    });
    documents.push(...page.documents);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && (options.limit === undefined || documents.length < options.limit));
  return documents;
}

/** The tenant a key belongs to, from its form `apk.<tenant>.<id>.<secret>`. */
export function tenantOfKey(key: string | undefined): string | undefined {
  const parts = key?.split('.');
  return parts?.length === 4 && parts[0] === 'apk' ? parts[1] : undefined;
}
