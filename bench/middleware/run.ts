/**
 * What the shared middleware stack costs per request, against a bare handler in the same
 * process. Prints medians/p99 and the Redis round trips each request makes.
 *
 *   npm run bench:middleware
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod';
import { toLambdaContext, toProxyEvent } from '#local/api-gateway-event.ts';
import { startLocalRedisStack } from '#local/local-stack.ts';
import { apiHandler } from '#shared/app/handlers.ts';
import { hashApiKey } from '#shared/auth/api-key-format.ts';
import { resetConfigCache } from '#shared/platform/config/index.ts';
import { defineRoute, implement } from '#shared/platform/http/route.ts';
import { ms, summarize } from '../lib/stats.ts';

const ITERATIONS = 3_000;
const WARMUP = 300;
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef0123456789';

const stack = await startLocalRedisStack();
process.env.UPSTASH_REDIS_REST_URL = stack.url;
process.env.UPSTASH_REDIS_REST_TOKEN = stack.token;
process.env.ADMIN_API_KEY_SHA256 = hashApiKey(ADMIN_KEY);
process.env.RATE_LIMIT_PER_MINUTE = '100000000';
process.env.LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
resetConfigCache();

const body = z.object({ message: z.string().max(100) }).strict();
const publicRoute = defineRoute({
  operationId: 'benchPublic',
  method: 'POST',
  path: '/bench/public',
  summary: 'bench',
  tags: [],
  access: 'public',
  body,
  responses: { 200: { description: 'ok' } },
});
const securedRoute = defineRoute({
  operationId: 'benchSecured',
  method: 'POST',
  path: '/bench/secured',
  summary: 'bench',
  tags: [],
  access: 'chat',
  body,
  responses: { 200: { description: 'ok' } },
});
const answer = async () => ({ status: 200, body: { ok: true } });

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const bare: Handler = async (event) => {
  const parsed = body.parse(JSON.parse(event.body ?? '{}'));
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ok: parsed.message.length > 0 }),
  };
};
const stacked = apiHandler([
  implement(publicRoute, answer),
  implement(securedRoute, answer),
]) as unknown as Handler;

function eventFor(path: string): APIGatewayProxyEvent {
  return toProxyEvent(
    {
      method: 'POST',
      url: new URL(`http://localhost${path}`),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: Buffer.from(JSON.stringify({ message: 'hello' })),
      sourceIp: '127.0.0.1',
    },
    path,
    null,
    'bench',
  );
}

async function measure(handler: Handler, path: string) {
  const context = toLambdaContext('bench', 30);
  for (let i = 0; i < WARMUP; i += 1) await handler(eventFor(path), context);
  stack.gateway.resetRequestCount();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) {
    const event = eventFor(path);
    const started = performance.now();
    const result = await handler(event, context);
    samples.push(performance.now() - started);
    if (result.statusCode !== 200)
      throw new Error(`unexpected ${result.statusCode}: ${result.body}`);
  }
  return { ...summarize(samples), roundTrips: stack.gateway.requestCount / ITERATIONS };
}

const baseline = await measure(bare, '/bench/public');
const publicStack = await measure(stacked, '/bench/public');
const securedStack = await measure(stacked, '/bench/secured');
await stack.stop();

const rows = [
  ['bare handler (zod + JSON only)', baseline],
  ['middleware stack, public route', publicStack],
  ['middleware stack, API key + rate limit', securedStack],
] as const;
console.log(`Middleware overhead, ${ITERATIONS} requests each after ${WARMUP} warm-up, in process`);
console.log(
  'case'.padEnd(42),
  'median'.padStart(10),
  'p99'.padStart(10),
  'redis round trips/req'.padStart(24),
);
for (const [name, result] of rows) {
  console.log(
    name.padEnd(42),
    ms(result.median).padStart(10),
    ms(result.p99).padStart(10),
    result.roundTrips.toFixed(2).padStart(24),
  );
}
console.log(
  `stack CPU overhead (public route): ${ms(publicStack.median - baseline.median)} per request, ${(publicStack.median / baseline.median).toFixed(1)}x the bare handler`,
);
console.log(
  `with API key check and rate limit: ${ms(securedStack.median - baseline.median)} per request, of which one Redis round trip (local gateway over loopback)`,
);
process.exit(0);
