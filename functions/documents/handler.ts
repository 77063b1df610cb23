import {
  clearKnowledgeBase,
  deleteDocument,
  getDocumentRecord,
  listDocumentPage,
} from '#shared/knowledge/base/manage-documents.ts';
import { getKnowledgeIndex } from '#shared/knowledge/index/container.ts';
import {
  clearDocumentsRoute,
  deleteDocumentRoute,
  getDocumentRoute,
  listDocumentsRoute,
} from '#shared/knowledge/routes/documents.ts';
import { httpHandler } from '#shared/platform/http/http-handler.ts';
import { implement } from '#shared/platform/http/route.ts';

/** `/v1/documents`: list, read and delete knowledge-base documents. */
export const handler = httpHandler([
  implement(listDocumentsRoute, async ({ services, principal, query }) => ({
    status: 200,
    body: await listDocumentPage(getKnowledgeIndex(services), principal.tenant, query),
  })),
  implement(getDocumentRoute, async ({ services, principal, params }) => ({
    status: 200,
    body: await getDocumentRecord(getKnowledgeIndex(services), principal.tenant, params.id),
  })),
  implement(deleteDocumentRoute, async ({ services, principal, params }) => {
    await deleteDocument(getKnowledgeIndex(services), principal.tenant, params.id);
    return { status: 204 };
  }),
  implement(clearDocumentsRoute, async ({ services, principal, query }) => ({
    status: 200,
    body: await clearKnowledgeBase(getKnowledgeIndex(services), principal.tenant, query.confirm),
  })),
]);
