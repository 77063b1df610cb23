import { ResponseType } from 'aws-cdk-lib/aws-apigateway';

export interface GatewayErrorResponse {
  id: string;
  type: ResponseType;
  /** `undefined` keeps the status API Gateway chose (the defaults cover several). */
  statusCode: string | undefined;
  code: string;
  /** A fixed message, or `undefined` to pass on API Gateway's own (`$context.error.messageString`). */
  message: string | undefined;
  headers?: Record<string, string>;
}

/**
 * Errors API Gateway answers itself, before any function runs, reshaped into the
 * platform's error body `{error: {code, message, requestId}}` so clients handle one shape.
 */
export const gatewayErrorResponses: GatewayErrorResponse[] = [
  {
    // API Gateway's answer to an unknown path is a 403 "Missing Authentication Token"
    // whenever no authorizer is involved; it means 404. (A known path with a method no
    // route serves reaches the function through the path's ANY method: 405.)
    id: 'UnknownRoute',
    type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
    statusCode: '404',
    code: 'not_found',
    message: 'No route matches this method and path.',
  },
  {
    id: 'ResourceNotFound',
    type: ResponseType.RESOURCE_NOT_FOUND,
    statusCode: '404',
    code: 'not_found',
    message: 'No route matches this method and path.',
  },
  {
    id: 'RequestTooLarge',
    type: ResponseType.REQUEST_TOO_LARGE,
    statusCode: '413',
    code: 'payload_too_large',
    message: 'The request body is larger than the API accepts.',
  },
  {
    id: 'Throttled',
    type: ResponseType.THROTTLED,
    statusCode: '429',
    code: 'rate_limited',
    message: 'Too many requests; retry after a short wait.',
    headers: { 'Retry-After': "'1'" },
  },
  {
    id: 'Default4xx',
    type: ResponseType.DEFAULT_4XX,
    statusCode: undefined,
    code: 'invalid_request',
    message: undefined,
  },
  {
    // Integration failures and timeouts: the detail is in the logs, never in the body.
    id: 'Default5xx',
    type: ResponseType.DEFAULT_5XX,
    statusCode: undefined,
    code: 'internal_error',
    message: 'Internal server error.',
  },
];

/** The response mapping template: a JSON body carrying API Gateway's request id. */
export function errorBodyTemplate(response: GatewayErrorResponse): string {
  const message =
    response.message === undefined
      ? '$context.error.messageString'
      : JSON.stringify(response.message);
  return `{"error":{"code":${JSON.stringify(response.code)},"message":${message},"requestId":"$context.requestId"}}`;
}
