import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Config } from '../config/index.ts';
import type { HttpContext, HttpMiddleware } from '../http/context.ts';
import { MethodNotAllowedError, PayloadTooLargeError, RouteNotFoundError } from '../http/errors.ts';
import { errorResponder } from '../http/middleware/error-responder.ts';
import { requestContext } from '../http/middleware/request-context.ts';
import { bodyLimitOf, type RouteSpec } from '../http/route.ts';
import type { Services } from '../services.ts';
import { baseStack } from './base-stack.ts';
import { deadlineOf } from './deadline.ts';

/** What a raw route is given: the request exactly as API Gateway passed it. */
export interface RawRouteInput {
  /** The untouched event: header names as sent, body as sent (base64 for binary types). */
  event: APIGatewayProxyEvent;
  /** The body's exact bytes, decoded from base64 when API Gateway encoded them. */
  rawBody: Buffer;
  services: Services;
  config: Config;
  requestId: string;
  /** Epoch milliseconds by which the route must answer. */
  deadline: number;
  /** Aborted once the function has answered 503 `deadline_exceeded`. */
  signal: AbortSignal;
}

/** A route that reads its own request (e.g. verifies a signature over the raw body). */
export interface RawRouteImplementation {
  /** `access` is `public`: the route authenticates the request itself. */
  spec: RouteSpec;
  run(input: RawRouteInput): Promise<APIGatewayProxyResult>;
}

/**
 * The raw HTTP stack on the base stack, for receivers that verify their own signatures
 * (Slack): no API key, no header normalisation, no body parsing, so the route sees the
 * exact bytes and headers that were signed. It keeps the parts every HTTP function needs:
 * the log line, security headers, the body cap (`maxBodyBytes` or `MAX_REQUEST_BYTES`,
 * 413), 404/405 for anything but the route, and JSON error bodies for what the route throws.
 */
export function rawHttpStack(route: RawRouteImplementation) {
  return baseStack<APIGatewayProxyEvent, APIGatewayProxyResult, HttpContext>({
    log: requestContext(),
    outer: [httpSecurityHeaders()],
    inner: [rawRouteGuard(route.spec)],
    errors: errorResponder(),
  }).handler(async (event, context, { signal }) =>
    route.run({
      event,
      rawBody: bodyBytes(event),
      services: context.services,
      config: context.config,
      requestId: context.requestId,
      deadline: deadlineOf(context),
      signal,
    }),
  );
}

function rawRouteGuard(spec: RouteSpec): HttpMiddleware {
  return {
    before: (request) => {
      const { resource, httpMethod, path } = request.event;
      if (resource !== spec.path) throw new RouteNotFoundError(path ?? resource);
      if (httpMethod !== spec.method) {
        throw new MethodNotAllowedError(httpMethod, path ?? resource, [spec.method]);
      }
      const limit = bodyLimitOf(spec, request.context.config.limits);
      if (bodyBytes(request.event).length > limit) throw new PayloadTooLargeError(limit);
    },
  };
}

function bodyBytes(event: APIGatewayProxyEvent): Buffer {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}
