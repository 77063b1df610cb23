import { createKeyRoute, listKeysRoute, revokeKeyRoute } from '#shared/auth/routes.ts';
import { configRoutes } from '#shared/chat/prompt-settings/routes.ts';
import { chatRoute } from '#shared/chat/routes/chat.ts';
import {
  deleteConversationRoute,
  forgetUserRoute,
  getConversationRoute,
  getMemoryRoute,
  listConversationsRoute,
} from '#shared/chat/routes/conversations.ts';
import { healthRoute, openApiRoute } from '#shared/health/routes.ts';
import { PDFJS_DATA_FOLDERS } from '#shared/knowledge/documents/extractors/pdf-data.ts';
import {
  clearDocumentsRoute,
  deleteDocumentRoute,
  getDocumentRoute,
  listDocumentsRoute,
} from '#shared/knowledge/routes/documents.ts';
import { ingestDocumentRoute } from '#shared/knowledge/routes/ingest.ts';
import { searchRoute } from '#shared/knowledge/routes/search.ts';
import { searchSettingsRoutes } from '#shared/knowledge/search-settings/routes.ts';
import { slackEventsRoute } from '#shared/slack/api/events-route.ts';
import { slackAdminRoutes } from '#shared/slack/api/routes.ts';
import { SLACK_MAX_RECEIVES, SLACK_QUEUE } from '#shared/slack/job.ts';
import {
  bufferedRoutes,
  type FunctionDefinition,
  queueTrigger,
  rawRoute,
  streamedRoutes,
} from './function-definition.ts';

/**
 * Every Lambda function of the platform and what starts it. The CDK app and the local
 * server both read this list, so a route or a queue exists in one place only.
 */
export const functionCatalog: FunctionDefinition[] = [
  {
    name: 'health',
    description: 'Liveness and dependency check',
    trigger: bufferedRoutes(healthRoute),
    // Pings Redis only: the smallest size keeps it cheap to call from monitors.
    memoryMb: 256,
    timeoutSeconds: 5,
    secretGroups: ['redis'],
    // Monitors poll it a few times a minute; a flood of unauthenticated calls gets 5.
    reservedConcurrency: 5,
  },
  {
    name: 'openapi',
    description: 'OpenAPI description generated from the route schemas',
    trigger: bufferedRoutes(openApiRoute),
    // Serves a document built once per container; no I/O.
    memoryMb: 256,
    timeoutSeconds: 5,
    secretGroups: [],
    // A static document answered in milliseconds; 5 serve any number of readers.
    reservedConcurrency: 5,
  },
  {
    name: 'keys',
    description: 'Create, list and revoke API keys',
    trigger: bufferedRoutes(createKeyRoute, listKeysRoute, revokeKeyRoute),
    // A few Redis round trips per request; small and short.
    memoryMb: 256,
    timeoutSeconds: 10,
    secretGroups: ['redis', 'admin'],
    // Key management is an administrator's occasional call.
    reservedConcurrency: 10,
  },
  {
    name: 'chat-config',
    description:
      "Read and set the assistant's persona and instructions and the hybrid search weight; list presets",
    trigger: bufferedRoutes(...configRoutes, ...searchSettingsRoutes),
    // One Redis command per request on texts of a few KB; small and short.
    memoryMb: 256,
    timeoutSeconds: 10,
    // `admin` holds the bootstrap key's hash, which authenticates the operator.
    secretGroups: ['redis', 'admin'],
    // An administrator edits the persona now and then; clients fetch presets once.
    reservedConcurrency: 5,
  },
  {
    name: 'search',
    description: 'Hybrid search over the knowledge base',
    trigger: bufferedRoutes(searchRoute),
    // Holds the tenant's index in memory between invocations and scores it on the CPU:
    // 1769 MB is one full vCPU and keeps ~650k chunks at 512 dimensions warm (see README);
    // 15 s covers a cold load of TENANT_MAX_CHUNKS (150k, ~10 s).
    memoryMb: 1769,
    timeoutSeconds: 15,
    secretGroups: ['redis', 'admin', 'model'],
    // The busiest route: every chat turn will search too. Each container keeps an index
    // warm, so more of them is more memory loaded, not only more throughput.
    reservedConcurrency: 50,
    // The tokenizer and the openai SDK, loaded on first use instead of compiled at init.
    extraEntryPoints: [
      'shared/knowledge/embeddings/tokenizer.ts',
      'shared/platform/model/openai-sdk.ts',
    ],
  },
  {
    name: 'documents',
    description: 'List, read and delete knowledge-base documents',
    trigger: bufferedRoutes(
      listDocumentsRoute,
      getDocumentRoute,
      deleteDocumentRoute,
      clearDocumentsRoute,
    ),
    // Metadata reads and atomic deletes; no document bodies pass through here.
    memoryMb: 512,
    timeoutSeconds: 15,
    secretGroups: ['redis', 'admin'],
    // Listing and deleting documents: short Redis calls from tools and consoles.
    reservedConcurrency: 20,
  },
  {
    name: 'ingest',
    description: 'Extract, chunk, embed and index uploaded documents',
    trigger: bufferedRoutes(ingestDocumentRoute),
    // Parsing runs in a worker with a 256 MB heap cap beside the main thread; 1769 MB is one
    // full vCPU, which parsing and chunking use. 29 s is API Gateway's integration ceiling.
    memoryMb: 1769,
    timeoutSeconds: 29,
    secretGroups: ['redis', 'admin', 'model'],
    // Each ingest holds 1769 MB for up to 29 s and calls the embeddings API: 20 at once
    // bounds both the bill and the load on the model provider's rate limits.
    reservedConcurrency: 20,
    extraEntryPoints: [
      'shared/knowledge/documents/extraction-worker.ts',
      'shared/knowledge/embeddings/tokenizer.ts',
      'shared/platform/model/openai-sdk.ts',
    ],
    // pdf.js's standard fonts and CJK CMaps, read by the extraction worker from beside it.
    dataFolders: PDFJS_DATA_FOLDERS,
  },
  {
    name: 'chat',
    description:
      'Chat turns: memory, cited knowledge and the model, streamed as server-sent events',
    trigger: streamedRoutes(chatRoute),
    // Searches the knowledge base in memory like the search function (one full vCPU, the
    // same index budget), plus users' memory namespaces, which are small.
    memoryMb: 1769,
    // Streamed, so not bound by API Gateway's 29 s: room for a cold index load (~10 s at
    // the chunk quota), a long answer and the model's retries.
    timeoutSeconds: 120,
    secretGroups: ['redis', 'admin', 'model'],
    // Each turn holds a container for the model's whole answer (seconds, not milliseconds),
    // so this bounds concurrent model requests as much as Lambda cost.
    reservedConcurrency: 50,
    extraEntryPoints: [
      'shared/knowledge/embeddings/tokenizer.ts',
      'shared/platform/model/openai-sdk.ts',
    ],
  },
  {
    name: 'conversations',
    description: "Users' conversations and memory: list, read, delete, forget a user",
    trigger: bufferedRoutes(
      listConversationsRoute,
      getConversationRoute,
      deleteConversationRoute,
      getMemoryRoute,
      forgetUserRoute,
    ),
    // Reads and deletes of one user's data; listing memory loads that user's namespace only.
    memoryMb: 512,
    timeoutSeconds: 15,
    secretGroups: ['redis', 'admin'],
    // Chat clients list conversations when they open; short calls.
    reservedConcurrency: 20,
  },
  {
    name: 'slack-events',
    description: 'Slack Events API and interactivity: verify, dedupe, queue, acknowledge',
    trigger: rawRoute(slackEventsRoute),
    // Verifies, reads Redis and queues, then answers: milliseconds of CPU. 512 MB buys a
    // faster cold start than 256 MB, which Slack's 3-second acknowledgement needs.
    memoryMb: 512,
    timeoutSeconds: 10,
    secretGroups: ['redis', 'slack'],
    sendsTo: [SLACK_QUEUE],
    // Each event is acknowledged in milliseconds; 20 take a busy workspace's bursts.
    reservedConcurrency: 20,
  },
  {
    name: 'slack-worker',
    description: 'Answers queued Slack messages in their threads, streamed',
    trigger: queueTrigger(SLACK_QUEUE, { batchSize: 1, maxReceiveCount: SLACK_MAX_RECEIVES }),
    // A chat turn, like the chat function: the knowledge base in memory, one full vCPU.
    memoryMb: 1769,
    // Room for a cold index load and a long streamed answer with the model's retries; the
    // queue's visibility timeout is six times this, so no redelivery overtakes a live answer.
    timeoutSeconds: 120,
    secretGroups: ['redis', 'model', 'slack'],
    // Each answer holds a container for the model's whole answer; the queue absorbs bursts.
    reservedConcurrency: 20,
    extraEntryPoints: [
      'shared/knowledge/embeddings/tokenizer.ts',
      'shared/platform/model/openai-sdk.ts',
    ],
  },
  {
    name: 'slack-admin',
    description: 'Slack workspace mappings, channel settings and feedback (admin)',
    trigger: bufferedRoutes(...slackAdminRoutes),
    // A few Redis commands per request.
    memoryMb: 256,
    timeoutSeconds: 10,
    secretGroups: ['redis', 'admin'],
    // An administrator's occasional call.
    reservedConcurrency: 5,
  },
];
