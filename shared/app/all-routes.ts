import { createKeyRoute, listKeysRoute, revokeKeyRoute } from '../auth/routes.ts';
import { configRoutes } from '../chat/prompt-settings/routes.ts';
import { chatRoute } from '../chat/routes/chat.ts';
import {
  deleteConversationRoute,
  forgetUserRoute,
  getConversationRoute,
  getMemoryRoute,
  listConversationsRoute,
} from '../chat/routes/conversations.ts';
import { healthRoute, openApiRoute } from '../health/routes.ts';
import {
  clearDocumentsRoute,
  deleteDocumentRoute,
  getDocumentRoute,
  listDocumentsRoute,
} from '../knowledge/routes/documents.ts';
import { ingestDocumentRoute } from '../knowledge/routes/ingest.ts';
import { searchRoute } from '../knowledge/routes/search.ts';
import { searchSettingsRoutes } from '../knowledge/search-settings/routes.ts';
import type { RouteSpec } from '../platform/http/route.ts';
import { slackEventsRoute } from '../slack/api/events-route.ts';
import { slackAdminRoutes } from '../slack/api/routes.ts';

/** Every HTTP route of the platform, in the order `/openapi.json` lists them. */
export const allRoutes: readonly RouteSpec[] = [
  healthRoute,
  openApiRoute,
  createKeyRoute,
  listKeysRoute,
  revokeKeyRoute,
  searchRoute,
  ingestDocumentRoute,
  listDocumentsRoute,
  getDocumentRoute,
  deleteDocumentRoute,
  clearDocumentsRoute,
  chatRoute,
  listConversationsRoute,
  getConversationRoute,
  deleteConversationRoute,
  getMemoryRoute,
  forgetUserRoute,
  ...configRoutes,
  ...searchSettingsRoutes,
  slackEventsRoute,
  ...slackAdminRoutes,
];
