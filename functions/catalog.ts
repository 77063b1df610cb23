/**
 * Every Lambda function and the HTTP routes it serves. The CDK app and the local API
 * server both read this list, so a route exists in one place only.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteBinding {
  method: HttpMethod;
  /** API Gateway resource path, with `{name}` for path parameters. */
  path: string;
}

export interface FunctionDefinition {
  /** Folder under `functions/`; the handler is `functions/<name>/handler.ts`, export `handler`. */
  name: string;
  description: string;
  routes: RouteBinding[];
  /** Lambda memory; CPU scales with it. */
  memoryMb: number;
  timeoutSeconds: number;
}

export const functionCatalog: FunctionDefinition[] = [
  {
    name: 'health',
    description: 'Liveness and dependency check',
    routes: [{ method: 'GET', path: '/health' }],
    // Pings Redis only: the smallest size keeps it cheap to call from monitors.
    memoryMb: 256,
    timeoutSeconds: 5,
  },
];
