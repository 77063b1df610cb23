import type { Readable } from 'node:stream';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { z } from 'zod';
import type { Config } from '../config/index.ts';
import type { Principal } from '../principal/principal.ts';
import type { Scope } from '../principal/scopes.ts';
import type { Services } from '../services.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /**
   * For a route that can also answer `text/event-stream`: each event's name and the
   * schema of its `data`, in the order they come.
   */
  events?: Record<string, z.ZodType>;
}

/**
 * One HTTP route: its path, who may call it and the zod schemas of its inputs and
 * outputs. The middleware validates against these; `/openapi.json` is generated from them.
 */
export interface RouteSpec<
  TParams extends z.ZodType = z.ZodType,
  TQuery extends z.ZodType = z.ZodType,
  TBody extends z.ZodType = z.ZodType,
> {
  operationId: string;
  method: HttpMethod;
  /** API Gateway resource path, `{name}` for path parameters. */
  path: string;
  summary: string;
  tags: string[];
  /** `public`, or the scope an API key needs. */
  access: 'public' | Scope;
  params?: TParams;
  query?: TQuery;
  /** Request headers the route reads itself (documented only; the route validates them). */
  headers?: z.ZodObject;
  body?: TBody;
  /** Overrides `MAX_REQUEST_BYTES` for this route: bytes, or read from the limits. */
  maxBodyBytes?: number | ((limits: Config['limits']) => number);
  /** Whether requests count against the caller's rate limit (default: all non-public). */
  rateLimited?: boolean;
  responses: Record<number, ResponseSpec>;
}

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteInput<S extends RouteSpec> {
  params: Parsed<S['params']>;
  query: Parsed<S['query']>;
  body: Parsed<S['body']>;
  /** Present on every non-public route. */
  principal: S['access'] extends 'public' ? Principal | undefined : Principal;
  services: Services;
  requestId: string;
  /**
   * Epoch milliseconds by which the route must answer: the invocation's time limit less a
   * margin. Calls to dependencies that retry (the model) stop retrying before it.
   */
  deadline: number;
  /**
   * Aborted when the function has already answered 503 `deadline_exceeded`: work still
   * running should stop before it writes anything, since the caller will retry.
   */
  signal: AbortSignal;
  event: APIGatewayProxyEvent;
}

export interface RouteResult {
  status: number;
  /** A JSON body, sent whole. */
  body?: unknown;
  /**
   * A body sent as it is written, e.g. server-sent events; only a route served by the
   * streaming stack may return one.
   */
  stream?: Readable;
  headers?: Record<string, string>;
}

export interface RouteImplementation<S extends RouteSpec = RouteSpec> {
  spec: S;
  run(input: RouteInput<S>): Promise<RouteResult>;
}

/** The largest body a route takes: its own `maxBodyBytes`, else `MAX_REQUEST_BYTES`. */
export function bodyLimitOf(spec: RouteSpec, limits: Config['limits']): number {
  const { maxBodyBytes } = spec;
  if (typeof maxBodyBytes === 'function') return maxBodyBytes(limits);
  return maxBodyBytes ?? limits.maxRequestBytes;
}

export function defineRoute<const S extends RouteSpec>(spec: S): S {
  return spec;
}

/** Pairs a route spec with the one domain call that serves it. */
export function implement<const S extends RouteSpec>(
  spec: S,
  run: (input: RouteInput<S>) => Promise<RouteResult>,
): RouteImplementation {
  return { spec, run } as unknown as RouteImplementation;
}
