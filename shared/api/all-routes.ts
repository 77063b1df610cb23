import type { RouteSpec } from '../http/route.ts';
import {
  clearDocumentsRoute,
  deleteDocumentRoute,
  getDocumentRoute,
  listDocumentsRoute,
} from './documents-routes.ts';
import { healthRoute, openApiRoute } from './health-routes.ts';
import { ingestDocumentRoute } from './ingest-routes.ts';
import { createKeyRoute, listKeysRoute, revokeKeyRoute } from './keys-routes.ts';
import { searchRoute } from './search-routes.ts';

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
];
