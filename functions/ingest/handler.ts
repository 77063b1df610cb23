import { apiHandler } from '#shared/app/handlers.ts';
import { toUploadedDocument } from '#shared/knowledge/documents/ingest-request.ts';
import { KNOWLEDGE_BASE_NAMESPACE } from '#shared/knowledge/index/index.ts';
import { getIngestionDependencies } from '#shared/knowledge/ingestion/container.ts';
import { ingestDocument, toIngestResponse } from '#shared/knowledge/ingestion/index.ts';
import { ingestDocumentRoute } from '#shared/knowledge/routes/ingest.ts';
import { implement } from '#shared/platform/http/route.ts';
import { tenantOf } from '#shared/platform/principal/index.ts';

/** POST /v1/documents (scope `documents:write`): extract, chunk, embed and index a document. */
export const handler = apiHandler([
  implement(ingestDocumentRoute, async ({ services, principal, body, deadline, signal }) => {
    const result = await ingestDocument(
      getIngestionDependencies(services),
      { tenant: tenantOf(principal), namespace: KNOWLEDGE_BASE_NAMESPACE },
      {
        input: toUploadedDocument(body),
        title: body.title,
        source: body.source,
        metadata: body.metadata,
        chunking: body.chunking,
        deadline,
        signal,
      },
    );
    return toIngestResponse(result);
  }),
]);
