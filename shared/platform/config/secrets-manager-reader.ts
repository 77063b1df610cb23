import { SecretReadError } from './errors.ts';
import { type AwsCredentials, signRequest } from './sigv4.ts';

/**
 * Reads one secret with a SigV4-signed `secretsmanager.GetSecretValue` call over
 * `node:https` instead of the AWS SDK: importing the SDK client was the largest part of
 * every function's cold start (~130 ms of a 240 ms init for /health), and this is the only
 * call the functions make. Not `fetch`: its first call loads undici (~60 ms measured), and
 * the call starts during init (the prefetch), where `node:https` costs ~15 ms. Credentials and region come from the environment Lambda sets; the
 * role's permission is the same `secretsmanager:GetSecretValue` on the secret's ARN.
 */

/** A call that hangs would hold the request until the Lambda's own time limit. */
const REQUEST_TIMEOUT_MS = 5000;

export interface SecretsManagerTarget {
  region: string;
  credentials: AwsCredentials;
  /** `https://secretsmanager.<region>.amazonaws.com` unless overridden (tests, benchmarks). */
  endpoint: URL;
}

/**
 * Where and as whom to call Secrets Manager, from the variables Lambda sets. The endpoint
 * honours `AWS_ENDPOINT_URL_SECRETS_MANAGER`, as the SDK does.
 */
export function secretsManagerTarget(env: NodeJS.ProcessEnv): SecretsManagerTarget {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!region || !accessKeyId || !secretAccessKey) {
    throw new SecretReadError(
      'MissingCredentials',
      'AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set',
    );
  }
  return {
    region,
    credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN },
    endpoint: new URL(
      env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? `https://secretsmanager.${region}.amazonaws.com/`,
    ),
  };
}

/**
 * The secret's `SecretString`, JSON-parsed when it is JSON (as middy's secrets-manager
 * middleware did), the string itself otherwise, `undefined` for a binary secret. Throws
 * {@link SecretReadError} for any AWS error or network failure.
 */
export async function getSecretValue(
  secretId: string,
  target: SecretsManagerTarget,
): Promise<unknown> {
  const body = JSON.stringify({ SecretId: secretId });
  const headers = signRequest(
    {
      method: 'POST',
      url: target.endpoint,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetSecretValue',
      },
      body,
    },
    { credentials: target.credentials, region: target.region, service: 'secretsmanager' },
  );
  let response: { status: number; text: string };
  try {
    response = await post(target.endpoint, headers, body);
  } catch (error) {
    throw new SecretReadError('NetworkError', 'Secrets Manager could not be reached', undefined, {
      cause: error,
    });
  }
  const { status, text } = response;
  const payload = parseJson(text) as Record<string, unknown> | undefined;
  if (status < 200 || status >= 300) {
    // `__type` may be namespaced (`com.amazonaws...#ThrottlingException`).
    const type = String(payload?.__type ?? `HTTP${status}`)
      .split('#')
      .pop() as string;
    const message = String(payload?.message ?? payload?.Message ?? 'no message');
    throw new SecretReadError(type, message, status);
  }
  const secret = payload?.SecretString;
  return typeof secret === 'string' ? (parseJson(secret) ?? secret) : undefined;
}

/** One POST and its whole answer; rejects on a network error or after the timeout. */
function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  // process.getBuiltinModule, not `import ... from 'node:http'`: an ES module import builds
  // node:http's ESM facade, which reads its lazy WebSocket getters and so loads undici
  // (~40-60 ms of init measured), the cost leaving fetch was meant to avoid.
  const send =
    url.protocol === 'http:'
      ? process.getBuiltinModule('node:http').request
      : process.getBuiltinModule('node:https').request;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    request.setTimeout(REQUEST_TIMEOUT_MS, () =>
      request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)),
    );
    request.on('error', reject);
    request.end(body);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
