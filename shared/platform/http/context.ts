import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Config } from '../config/index.ts';
import type { Principal } from '../principal/principal.ts';
import type { Services } from '../services.ts';
import type { RouteImplementation } from './route.ts';

/** What the middleware stack learns about a request, on the Lambda context. */
export interface PlatformContext extends Context {
  config: Config;
  requestId: string;
  startedAt: number;
  services: Services;
  route: RouteImplementation;
  principal?: Principal;
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
