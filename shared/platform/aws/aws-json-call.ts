import { type AwsCredentials, signRequest } from './sigv4.ts';

/**
 * One call to an AWS service's JSON protocol (Secrets Manager, SQS), SigV4-signed, over
 * `node:https` instead of the AWS SDK: importing an SDK client was the largest part of a
 * function's cold start (~130 ms of a 240 ms init for /health), and the functions make
 * only a couple of calls. Not `fetch`: its first call loads undici (~60 ms measured), and
 * the settings call starts during init, where `node:https` costs ~15 ms.
 */

/** A call that hangs would hold the invocation until Lambda's own time limit. */
const DEFAULT_TIMEOUT_MS = 5_000;

/** Where and as whom to call one service. */
export interface AwsTarget {
  service: string;
  region: string;
  credentials: AwsCredentials;
  endpoint: URL;
}

/**
 * The service refused or failed the call. `code` is the AWS error type
 * (`AccessDeniedException`, `ThrottlingException`, ...) or `NetworkError`; the message is
 * AWS's, which never holds the request's payload.
 */
export class AwsCallError extends Error {
  readonly code: string;
  readonly status: number | undefined;

  constructor(code: string, message: string, status?: number, options?: ErrorOptions) {
    super(`${code}: ${message}`, options);
    this.name = 'AwsCallError';
    this.code = code;
    this.status = status;
  }
}

/**
 * The target for `service` from the variables Lambda sets (`AWS_REGION` and the
 * role's credentials). The endpoint honours `AWS_ENDPOINT_URL_<SERVICE>`, as the SDK does.
 *
 * @param endpointName the service's name in that variable, e.g. `SECRETS_MANAGER`, `SQS`
 * @param host the service's host prefix, e.g. `secretsmanager`, `sqs`
 */
export function awsTarget(
  env: NodeJS.ProcessEnv,
  service: string,
  endpointName: string,
  host: string = service,
): AwsTarget {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!region || !accessKeyId || !secretAccessKey) {
    throw new AwsCallError(
      'MissingCredentials',
      'AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set',
    );
  }
  return {
    service,
    region,
    credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN },
    endpoint: new URL(
      env[`AWS_ENDPOINT_URL_${endpointName}`] ?? `https://${host}.${region}.amazonaws.com/`,
    ),
  };
}

/**
 * Calls `operation` (the `X-Amz-Target`, e.g. `AmazonSQS.SendMessage`) with a JSON body
 * and returns the parsed JSON answer. Throws {@link AwsCallError} for an AWS error or a
 * network failure.
 *
 * @param jsonVersion the service's `application/x-amz-json-<version>`: 1.1 for Secrets
 *   Manager, 1.0 for SQS
 */
export async function callAwsJson(
  target: AwsTarget,
  operation: string,
  payload: unknown,
  options: { jsonVersion: '1.0' | '1.1'; timeoutMs?: number },
): Promise<Record<string, unknown>> {
  const body = JSON.stringify(payload);
  const headers = signRequest(
    {
      method: 'POST',
      url: target.endpoint,
      headers: {
        'content-type': `application/x-amz-json-${options.jsonVersion}`,
        'x-amz-target': operation,
      },
      body,
    },
    { credentials: target.credentials, region: target.region, service: target.service },
  );
  let response: { status: number; text: string };
  try {
    response = await post(target.endpoint, headers, body, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (error) {
    throw new AwsCallError('NetworkError', `${target.service} could not be reached`, undefined, {
      cause: error,
    });
  }
  const { status, text } = response;
  const answer = (parseJson(text) ?? {}) as Record<string, unknown>;
  if (status < 200 || status >= 300) {
    // `__type` may be namespaced (`com.amazonaws...#ThrottlingException`).
    const type = String(answer.__type ?? `HTTP${status}`)
      .split('#')
      .pop() as string;
    const message = String(answer.message ?? answer.Message ?? 'no message');
    throw new AwsCallError(type, message, status);
  }
  return answer;
}

/** One POST and its whole answer; rejects on a network error or after the timeout. */
function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
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
    request.setTimeout(timeoutMs, () =>
      request.destroy(new Error(`no answer within ${timeoutMs} ms`)),
    );
    request.on('error', reject);
    request.end(body);
  });
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
