import type { ApiFixture } from './local-api.ts';

export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON bodies.
  json: any;
}

/**
 * Sends a request with an API key and, when given, a body (a string is sent as it is,
 * anything else as JSON); `headers` override the defaults. Parses the answer.
 */
export async function callApi(
  api: ApiFixture,
  method: string,
  path: string,
  key?: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await api.request(path, {
    method,
    headers: { ...headers, ...extraHeaders },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text ? JSON.parse(text) : undefined,
  };
}

/** Creates an API key through the API with the bootstrap admin key. */
export async function issueKey(
  api: ApiFixture,
  adminKey: string,
  tenant: string,
  scopes: string[],
): Promise<string> {
  const created = await callApi(api, 'POST', '/v1/keys', adminKey, {
    name: `${tenant} test key`,
    scopes,
    tenant,
  });
  if (created.status !== 201) throw new Error(`could not create a key: ${created.status}`);
  return created.json.key as string;
}
