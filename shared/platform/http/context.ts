import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Config } from '../config/index.ts';
import type { Principal } from '../principal/principal.ts';
import type { Services } from '../services.ts';
import type { RouteImplementation } from './route.ts';

/** What every HTTP stack (API or raw) learns about a request, on the Lambda context. */
export interface HttpContext extends Context {
  config: Config;
  requestId: string;
  startedAt: number;
  services: Services;
  /** Who is calling, once a credential or signature has been checked. */
  principal?: Principal;
}

/** The same middleware shape for any HTTP context. */
export type HttpMiddleware<C extends HttpContext = HttpContext> = MiddlewareObj<
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Error,
  C
>;

/** What the API stack learns about a request, on the Lambda context. */
export interface PlatformContext extends HttpContext {
  route: RouteImplementation;
  /** `RateLimit-*` headers to add to the response. */
  rateLimitHeaders?: Record<string, string>;
  input: { params: unknown; query: unknown; body: unknown };
}

/** The shape of every middleware in the platform's HTTP stack. */
export type PlatformMiddleware = MiddlewareObj<
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Error,
  PlatformContext
>;
