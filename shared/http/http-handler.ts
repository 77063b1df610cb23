import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type ConfigContext, configMiddleware } from '../config/index.ts';
import { logger } from '../logging/logger.ts';
import { toErrorResponse } from './error-response.ts';

export type HttpContext = ConfigContext;
export type HttpFunction = (
  event: APIGatewayProxyEvent,
  context: HttpContext,
) => Promise<APIGatewayProxyResult>;

/**
 * Wraps a route function in the shared middleware stack: header normalisation,
 * configuration, and error-to-HTTP mapping with the request id.
 */
export function httpHandler(fn: HttpFunction) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, HttpContext>()
    .use(httpHeaderNormalizer())
    .use(configMiddleware())
    .use({
      onError: async (request) => {
        const requestId = requestIdOf(request.event, request.context);
        const response = toErrorResponse(request.error, requestId);
        if (response.statusCode >= 500) {
          logger.error('request failed', { requestId, error: request.error as Error });
        }
        request.response = response;
      },
    })
    .handler(fn);
}

export function requestIdOf(event: APIGatewayProxyEvent, context: { awsRequestId?: string }) {
  return event.requestContext?.requestId ?? context.awsRequestId ?? 'unknown';
}
