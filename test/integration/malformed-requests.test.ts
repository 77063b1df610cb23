import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allRoutes } from '#shared/app/all-routes.ts';
import { adminKeySettings } from '../support/admin-key.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-fuzz-tests-000000001';
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  RATE_LIMIT_PER_MINUTE: '100000',
  MAX_REQUEST_BYTES: '65536',
  LOG_LEVEL: 'SILENT',
}));

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const authorization = fc.oneof(
  fc.constant(undefined),
  { weight: 6, arbitrary: fc.constant(`Bearer ${ADMIN_KEY}`) },
  fc.constant(`bearer ${ADMIN_KEY}`),
  fc.string().map((value) => `Bearer ${value}`),
  fc.string(),
  fc.constant('Bearer apk.default.0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
);
const pathSegment = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{16}$/),
  fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.constant('%00'),
  fc.constant('..'),
);
/** Mostly real routes with their own method, so most requests reach validation. */
const target = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(...allRoutes).chain((route) =>
      fc.record({
        method: fc.oneof(
          { weight: 4, arbitrary: fc.constant(route.method) },
          fc.constantFrom(...methods),
        ),
        path: fc.array(pathSegment, { minLength: 3, maxLength: 3 }).map((values) => {
          let index = 0;
          return route.path.replace(/\{[^}]+\}/g, () => values[index++] ?? 'x');
        }),
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      method: fc.constantFrom(...methods),
      path: fc.webPath().map((value) => (value.startsWith('/') ? value : `/${value}`)),
    }),
  },
);
const query = fc.option(
  fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 20 }), {
    maxKeys: 3,
  }),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 200 }),
  fc.constant('{"name":'),
  fc
    .record(
      { name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), scopes: fc.anything() },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc
    .record({
      name: fc.string({ minLength: 1, maxLength: 20 }),
      scopes: fc.array(fc.string(), { maxLength: 3 }),
      extra: fc.anything(),
    })
    .map((value) => JSON.stringify(value)),
  fc.constant(JSON.stringify({ name: 'x'.repeat(70_000), scopes: ['chat'] })),
  fc
    .integer({ min: 1, max: 40 })
    .map((depth) => `${'['.repeat(depth * 50)}${']'.repeat(depth * 50)}`),
);
const contentType = fc.oneof(
  { weight: 3, arbitrary: fc.constant('application/json') },
  fc.constant(null),
  fc.constantFrom(
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/json; charset=utf-8',
    'multipart/form-data',
  ),
);

const request = fc
  .record({ target, query, body, contentType, authorization })
  .map(({ target: { method, path }, ...rest }) => ({ method, path, ...rest }));

/** A key-creation request that would succeed; the fuzzer must only send malformed ones. */
function isWellFormedKeyCreation(value: {
  method: string;
  path: string;
  body?: string | undefined;
}): boolean {
  if (value.method !== 'POST' || value.path !== '/v1/keys' || !value.body) return false;
  try {
    const parsed = JSON.parse(value.body);
    return (
      typeof parsed?.name === 'string' &&
      parsed.name.trim().length > 0 &&
      Array.isArray(parsed.scopes) &&
      parsed.scopes.length > 0 &&
      Object.keys(parsed).every((key) => ['name', 'scopes', 'tenant'].includes(key)) &&
      parsed.scopes.every((scope: unknown) =>
        ['chat', 'documents:read', 'documents:write', 'admin'].includes(String(scope)),
      )
    );
  } catch {
    return false;
  }
}

describe('malformed requests against every route', () => {
  it('get only 4xx answers and write nothing to Redis', async () => {
    const dataKeys = async () =>
      (await redis.allKeys()).filter((key) => !key.includes(':ratelimit:'));
    const before = await dataKeys();
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(request, async (value) => {
        fc.pre(!isWellFormedKeyCreation(value));
        const search = value.query ? `?${new URLSearchParams(value.query).toString()}` : '';
        const headers: Record<string, string> = {};
        if (value.authorization !== undefined) headers.authorization = value.authorization;
        if (value.contentType) headers['content-type'] = value.contentType;
        const sendsBody = value.body !== undefined && value.method !== 'GET';
        const response = await api.request(`${value.path}${search}`, {
          method: value.method,
          headers,
          ...(sendsBody ? { body: value.body } : {}),
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        // Reads may legitimately succeed on a request that happens to be well formed.
        const readOnly =
          value.method === 'GET' || (value.method === 'POST' && value.path === '/v1/search');
        // Deletes that succeed whenever they are well formed, writing nothing when there
        // was nothing to delete: back to the default persona or search weight, forgetting
        // an unknown user.
        const idempotentDelete =
          value.method === 'DELETE' &&
          /^\/v1\/(config\/(persona|instructions|search)|users\/[^/]+)$/.test(value.path);
        if (!readOnly && !idempotentDelete)
          expect(response.status, `${value.method} ${value.path}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${value.method} ${value.path}`).toBeLessThan(500);
      }),
      { numRuns: 600, seed: 20261125 },
    );

    console.log('status counts for 600 malformed requests:', Object.fromEntries(statuses));
    expect(await dataKeys()).toEqual(before);
    expect([...statuses.keys()].some((status) => status === 400)).toBe(true);
    expect([...statuses.keys()].some((status) => status === 401)).toBe(true);
  }, 120_000);
});
