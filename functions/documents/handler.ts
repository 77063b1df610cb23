import { apiHandler } from '#shared/app/handlers.ts';
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
import { implement } from '#shared/platform/http/route.ts';
import { tenantOf } from '#shared/platform/principal/index.ts';

/** `/v1/documents`: list, read and delete knowledge-base documents. */
export const handler = apiHandler([
  implement(listDocumentsRoute, async ({ services, principal, query }) => ({
    status: 200,
    body: await listDocumentPage(getKnowledgeIndex(services), tenantOf(principal), query),
  })),
  implement(getDocumentRoute, async ({ services, principal, params }) => ({
    status: 200,
    body: await getDocumentRecord(getKnowledgeIndex(services), tenantOf(principal), params.id),
  })),
  implement(deleteDocumentRoute, async ({ services, principal, params }) => {
    await deleteDocument(getKnowledgeIndex(services), tenantOf(principal), params.id);
    return { status: 204 };
  }),
  implement(clearDocumentsRoute, async ({ services, principal, query }) => ({
    status: 200,
    body: await clearKnowledgeBase(getKnowledgeIndex(services), tenantOf(principal), query.confirm),
  })),
]);
