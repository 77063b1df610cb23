import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for one request, with node:crypto only. The platform's AWS calls
 * (Secrets Manager, SQS) are signed with this instead of bundling the AWS SDK, whose
 * import is most of a function's cold start; it covers what they send (a JSON body, no
 * query string, a path of `/`) and the published test vectors.
 */

/** Credentials as Lambda provides them in the environment. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface RequestToSign {
  method: string;
  url: URL;
  /** Header names in any case; `host` and `x-amz-date` are added. */
  headers: Record<string, string>;
  body: string;
}

export interface SigningScope {
  credentials: AwsCredentials;
  region: string;
  service: string;
  /** The signing time; now unless a test fixes it. */
  date?: Date;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data, 'utf8').digest();

/** `20150830T123600Z`: ISO 8601 basic format, seconds precision, UTC. */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The key derived from the secret for one day, region and service. */
export function signingKey(
  secretAccessKey: string,
  day: string,
  region: string,
  service: string,
): Buffer {
  const dateKey = hmac(`AWS4${secretAccessKey}`, day);
  return hmac(hmac(hmac(dateKey, region), service), 'aws4_request');
}

/** RFC 3986 encoding, as SigV4 asks for query names and values. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalQuery(url: URL): string {
  return [...url.searchParams]
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/**
 * The headers to send: the request's own plus `host`, `x-amz-date`, the session token
 * when there is one, and `authorization`. Every header sent is signed.
 */
export function signRequest(request: RequestToSign, scope: SigningScope): Record<string, string> {
  const { credentials, region, service } = scope;
  const timestamp = amzDate(scope.date ?? new Date());
  const day = timestamp.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers.host = request.url.host;
  headers['x-amz-date'] = timestamp;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;

  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.url.pathname || '/',
    canonicalQuery(request.url),
    ...names.map((name) => `${name}:${(headers[name] ?? '').trim().replace(/\s+/g, ' ')}`),
    '',
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const credentialScope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, timestamp, credentialScope, sha256Hex(canonicalRequest)].join(
    '\n',
  );
  const signature = createHmac(
    'sha256',
    signingKey(credentials.secretAccessKey, day, region, service),
  )
    .update(stringToSign, 'utf8')
    .digest('hex');
  headers.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
