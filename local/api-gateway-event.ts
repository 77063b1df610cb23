import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/** Media types API Gateway is told to pass as binary (base64), mirrored from the infra. */
export const BINARY_MEDIA_TYPES = [
  'application/octet-stream',
  'multipart/form-data',
  'application/pdf',
];

export interface IncomingRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** Header names and values as sent (Node's `rawHeaders`); API Gateway keeps their case. */
  rawHeaders?: string[];
  body: Buffer;
  sourceIp: string;
}

/** Builds the REST API (v1) proxy event API Gateway would send for this request. */
export function toProxyEvent(
  request: IncomingRequest,
  resource: string,
  pathParameters: Record<string, string> | null,
  stage: string,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = Object.create(null);
  const multiValueHeaders: Record<string, string[]> = Object.create(null);
  for (const [name, values] of headerEntries(request)) {
    // API Gateway keeps the last value in `headers` and all of them in `multiValueHeaders`.
    headers[name] = values[values.length - 1] ?? '';
    multiValueHeaders[name] = values;
  }
  // Null prototypes: names such as `__proto__` or `constructor` are ordinary keys here.
  const query: Record<string, string> = Object.create(null);
  const multiQuery: Record<string, string[]> = Object.create(null);
  for (const [name, value] of request.url.searchParams) {
    query[name] = value;
    multiQuery[name] = [...(multiQuery[name] ?? []), value];
  }
  const contentTypeName = Object.keys(headers).find(
    (name) => name.toLowerCase() === 'content-type',
  );
  const contentType =
    (contentTypeName ? (headers[contentTypeName] ?? '') : '').split(';')[0]?.trim().toLowerCase() ??
    '';
  const binary = BINARY_MEDIA_TYPES.includes(contentType);
  const hasBody = request.body.length > 0;
  const requestId = randomUUID();

  return {
    resource,
    path: request.url.pathname,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length > 0 ? multiQuery : null,
    pathParameters,
    stageVariables: null,
    isBase64Encoded: hasBody && binary,
    body: hasBody ? request.body.toString(binary ? 'base64' : 'utf8') : null,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      identity: localIdentity(request.sourceIp, headers['user-agent'] ?? null),
      path: `/${stage}${request.url.pathname}`,
      stage,
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: resource,
    },
  };
}

/** Header names with their values, in the case they were sent when it is known. */
function headerEntries(request: IncomingRequest): [string, string[]][] {
  if (!request.rawHeaders) {
    return Object.entries(request.headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value : [value]]],
    );
  }
  const byName = new Map<string, string[]>();
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index] as string;
    byName.set(name, [...(byName.get(name) ?? []), request.rawHeaders[index + 1] as string]);
  }
  return [...byName];
}

export function toLambdaContext(functionName: string, timeoutSeconds: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function localIdentity(sourceIp: string, userAgent: string | null) {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent,
    userArn: null,
  };
}
