import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { toLambdaContext } from '#local/api-gateway-event.ts';
import { apiHandler } from '#shared/app/handlers.ts';
import { defineRoute, implement } from '#shared/platform/http/route.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { proxyEvent } from '../support/proxy-event.ts';

const redis = useLocalRedis();

const slowRoute = defineRoute({
  operationId: 'slow',
  method: 'GET',
  path: '/slow',
  summary: 'waits on a dependency that does not answer',
  tags: [],
  access: 'public',
  responses: { 200: { description: 'never' } },
});

describe('a request that runs into the Lambda time limit', () => {
  it('answers 503 deadline_exceeded with Retry-After before the limit', async () => {
    Object.assign(process.env, { ...redis.settings(), LOG_LEVEL: 'SILENT' });
    const handler = apiHandler([
      implement(slowRoute, () => new Promise(() => undefined)),
    ]) as unknown as (
      event: APIGatewayProxyEvent,
      context: Context,
    ) => Promise<APIGatewayProxyResult>;
    const event = proxyEvent('GET', '/slow');
    const started = Date.now();

    const result = await handler(event, toLambdaContext('slow', 1));

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('5');
    expect(JSON.parse(result.body).error).toMatchObject({
      code: 'deadline_exceeded',
      requestId: expect.any(String),
    });
  });
});
