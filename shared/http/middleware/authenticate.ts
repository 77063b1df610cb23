import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { authenticate } from '../../auth/authenticate.ts';
import type { PlatformContext } from '../context.ts';

type Middleware = MiddlewareObj<
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Error,
  PlatformContext
>;

/** Requires an API key holding the route's scope on every non-public route. */
export function apiKeyAuth(): Middleware {
  const apiKeyAuthBefore: Middleware['before'] = async (request) => {
    const { route, services, config } = request.context;
    if (route.spec.access === 'public') return;
    request.context.principal = await authenticate(
      request.event.headers?.authorization,
      route.spec.access,
      { redis: services.redis, auth: config.auth },
    );
  };
  return { before: apiKeyAuthBefore };
}
