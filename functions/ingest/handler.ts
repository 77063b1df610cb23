import { ingestDocumentRoute } from '#shared/api/ingest-routes.ts';
import { toDocumentInput } from '#shared/documents/ingest-request.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { implement } from '#shared/http/route.ts';
import { getIngestionDependencies } from '#shared/ingestion/container.ts';
import { ingestDocument, toIngestResponse } from '#shared/ingestion/index.ts';
import { KNOWLEDGE_BASE_NAMESPACE } from '#shared/knowledge-index/index.ts';

/** POST /v1/documents (scope `documents:write`): extract, chunk, embed and index a document. */
export const handler = httpHandler([
  implement(ingestDocumentRoute, async ({ services, principal, body, deadline }) => {
    const result = await ingestDocument(
      getIngestionDependencies(services),
      { tenant: principal.tenant, namespace: KNOWLEDGE_BASE_NAMESPACE },
      {
        input: toDocumentInput(body),
        title: body.title,
        source: body.source,
        metadata: body.metadata,
        chunking: body.chunking,
        deadline,
      },
    );
    return toIngestResponse(result);
  }),
]);
