import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { toLambdaContext, toProxyEvent } from '#local/api-gateway-event.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const redis = useLocalRedis();

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** What API Gateway's catch-all (ANY) method hands the function for a method no route serves. */
function eventFor(method: string, path: string) {
  return toProxyEvent(
    {
      method,
      url: new URL(`http://localhost${path}`),
      headers: {},
      body: Buffer.alloc(0),
      sourceIp: '127.0.0.1',
    },
    path,
    null,
    'test',
  );
}

describe('a method no route serves, as the deployed catch-all delivers it', () => {
  it('gets 405 with every method the platform serves on the path, across functions', async () => {
    Object.assign(process.env, { ...redis.settings(), LOG_LEVEL: 'SILENT' });
    // `documents` owns the catch-all for /v1/documents; `ingest` serves its POST.
    const { handler } = (await import('#functions/documents/handler.ts')) as unknown as {
      handler: Handler;
    };

    const result = await handler(
      eventFor('PUT', '/v1/documents'),
      toLambdaContext('documents', 15),
    );

    expect(result.statusCode).toBe(405);
    expect(String(result.headers?.allow).split(', ').sort()).toEqual(['DELETE', 'GET', 'POST']);
    expect(JSON.parse(result.body).error.code).toBe('method_not_allowed');
  });
});
