import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { toLambdaContext } from '#local/api-gateway-event.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { proxyEvent } from '../support/proxy-event.ts';

const redis = useLocalRedis();

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

describe('a method no route serves, as the deployed catch-all delivers it', () => {
  it('gets 405 with every method the platform serves on the path, across functions', async () => {
    Object.assign(process.env, { ...redis.settings(), LOG_LEVEL: 'SILENT' });
    // What API Gateway's catch-all (ANY) hands `documents`, which owns it for
    // /v1/documents; `ingest` serves its POST.
    const { handler } = (await import('#functions/documents/handler.ts')) as unknown as {
      handler: Handler;
    };

    const result = await handler(
      proxyEvent('PUT', '/v1/documents'),
      toLambdaContext('documents', 15),
    );

    expect(result.statusCode).toBe(405);
    expect(String(result.headers?.allow).split(', ').sort()).toEqual(['DELETE', 'GET', 'POST']);
    expect(JSON.parse(result.body).error.code).toBe('method_not_allowed');
  });
});
