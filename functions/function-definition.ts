import type { SecretGroup } from '#shared/platform/config/secret-groups.ts';
import type { HttpMethod, RouteSpec } from '#shared/platform/http/route.ts';

/** One API Gateway method: the catalog's view of a route. */
export interface RouteBinding {
  method: HttpMethod;
  /** API Gateway resource path, with `{name}` for path parameters. */
  path: string;
}

/**
 * How an HTTP function answers: `buffered` (the whole JSON response at once, API
 * Gateway's 29 s ceiling), `streamed` (Lambda response streaming through API Gateway's
 * STREAM transfer mode: first bytes as soon as they are written, up to the function's
 * timeout), or `raw` (the request exactly as sent, for receivers that verify their own
 * signatures; answered buffered).
 */
export type RouteDelivery = 'buffered' | 'streamed' | 'raw';

/** API Gateway methods start the function. */
export interface RoutesTrigger {
  kind: 'routes';
  delivery: RouteDelivery;
  routes: RouteBinding[];
}

/**
 * An SQS queue starts the function. The CDK app creates the queue and its dead-letter
 * queue, with the visibility timeout derived from the function's timeout; `npm run dev`
 * runs the function on an in-process queue with the same delivery rules.
 */
export interface QueueTrigger {
  kind: 'queue';
  /** The queue's name within the stage, e.g. `slack-answers`. */
  queue: string;
  /** Most messages per invocation. */
  batchSize: number;
  /** Deliveries of a message that keeps failing before it goes to the dead-letter queue. */
  maxReceiveCount: number;
}

export type FunctionTrigger = RoutesTrigger | QueueTrigger;

export interface FunctionDefinition {
  /** Its folder under `functions/`; the handler is `functions/<name>/handler.ts` unless `entry` says otherwise. */
  name: string;
  description: string;
  /** What starts the function. */
  trigger: FunctionTrigger;
  /** Lambda memory; CPU scales with it. */
  memoryMb: number;
  timeoutSeconds: number;
  /**
   * The secret groups the function may read, beside the non-secret settings every function
   * reads; its role is granted these and no others.
   */
  secretGroups: SecretGroup[];
  /**
   * Concurrent executions reserved for the function, which is also its ceiling: no one
   * function can take the whole account's concurrency from the others (or from other
   * workloads in the account). Scaled or turned off with `-c reservedConcurrency`.
   */
  reservedConcurrency: number;
  /** Queues (by their trigger's `queue` name) the function sends messages to. */
  sendsTo?: string[];
  /** Project-relative path of the handler module, for functions outside `functions/`. */
  entry?: string;
  /**
   * More entry points bundled next to the handler with the same esbuild options, as
   * project-relative `.ts` paths; each ships as `<basename>.mjs` beside `index.mjs`
   * (e.g. a `worker_threads` worker that parses a document under a hard time cap).
   */
  extraEntryPoints?: string[];
  /**
   * Folders of data files the function reads at run time, copied next to its bundle
   * (e.g. the PDF parser's fonts and CMaps); no other function gets them.
   */
  dataFolders?: DataFolder[];
}

/** One folder copied into a function's bundle, whole. */
export interface DataFolder {
  /** Project-relative folder to copy, e.g. `node_modules/<package>/<folder>`. */
  from: string;
  /** Relative path of the copy inside the bundle, beside `index.mjs`. */
  to: string;
}

const bindings = (specs: RouteSpec[]): RouteBinding[] =>
  specs.map(({ method, path }) => ({ method, path }));

/** Routes answered whole, as JSON; method and path come from their specs. */
export const bufferedRoutes = (...specs: RouteSpec[]): RoutesTrigger => ({
  kind: 'routes',
  delivery: 'buffered',
  routes: bindings(specs),
});

/** Routes answered with response streaming (server-sent events). */
export const streamedRoutes = (...specs: RouteSpec[]): RoutesTrigger => ({
  kind: 'routes',
  delivery: 'streamed',
  routes: bindings(specs),
});

/** One route that reads the raw request and checks its own signature. */
export const rawRoute = (spec: RouteSpec): RoutesTrigger => ({
  kind: 'routes',
  delivery: 'raw',
  routes: bindings([spec]),
});

/** A queue, with the defaults a consumer that talks to other services wants. */
export const queueTrigger = (
  queue: string,
  options: Partial<Pick<QueueTrigger, 'batchSize' | 'maxReceiveCount'>> = {},
): QueueTrigger => ({
  kind: 'queue',
  queue,
  batchSize: options.batchSize ?? 1,
  maxReceiveCount: options.maxReceiveCount ?? 3,
});

/** The routes a function serves; none for a queue consumer. */
export function routesOf(definition: FunctionDefinition): RouteBinding[] {
  return definition.trigger.kind === 'routes' ? definition.trigger.routes : [];
}

/** The handler module, project-relative. */
export function entryOf(definition: FunctionDefinition): string {
  return definition.entry ?? `functions/${definition.name}/handler.ts`;
}
