import { execFile, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * The environment a deployed function has, with AWS pointed somewhere harmless: the
 * settings secret is prefetched at import (a signed GetSecretValue call), so it must not
 * reach AWS from a benchmark. Port 9 on loopback refuses at once.
 */
function lambdaLikeEnv(secretsEndpoint: string, sourceMaps = true): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_OPTIONS: sourceMaps ? '--enable-source-maps' : '',
    CONFIG_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-AbCdEf',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsEndpoint,
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
  };
}

/**
 * Imports a bundle as the Lambda runtime would and prints how long that took. The
 * runtime defines the \`awslambda\` global before loading a handler (a streamed function
 * calls \`awslambda.streamifyResponse\` at import), so a stand-in is defined first, untimed.
 */
const IMPORT_AND_TIME = `
globalThis.awslambda ??= {};
globalThis.awslambda.streamifyResponse ??= (handler) => handler;
globalThis.awslambda.HttpResponseStream ??= { from: (stream) => stream };
let unhandled = 0;
process.on('unhandledRejection', () => { unhandled += 1; });
const started = performance.now();
await import(process.argv[1]);
const elapsed = performance.now() - started;
const linger = Number(process.argv[2] ?? 0);
if (linger > 0) await new Promise((done) => setTimeout(done, linger));
process.stdout.write('\\nINIT_MS=' + elapsed + ' UNHANDLED=' + unhandled + '\\n');
process.exit(0);
`;

function importOnce(file: string, env: NodeJS.ProcessEnv, lingerMs = 0): number {
  const result = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', IMPORT_AND_TIME, pathToFileURL(file).href, String(lingerMs)],
    { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const match = /INIT_MS=([\d.]+)/.exec(result);
  if (!match?.[1]) throw new Error(`no timing from ${file}`);
  return Number(match[1]);
}

/**
 * Module init times (ms) of each file, each import in a fresh Node.js process, taken in
 * rounds (one import of every file per round) so that a slow stretch of a shared machine
 * falls on every file alike instead of on whichever was being measured at the time.
 */
export function measureInitInterleaved(
  files: readonly string[],
  runs: number,
  { sourceMaps = true } = {},
): number[][] {
  const env = lambdaLikeEnv('http://127.0.0.1:9', sourceMaps);
  for (const file of files) importOnce(file, env); // warm the OS file cache; not counted
  const samples = files.map((): number[] => []);
  for (let round = 0; round < runs; round += 1) {
    files.forEach((file, index) => {
      samples[index]?.push(importOnce(file, env));
    });
  }
  return samples;
}

/**
 * Imports `file` once with the Secrets Manager endpoint pointed at a local server and
 * counts the requests that arrive within `lingerMs` (whether importing calls AWS), and
 * the unhandled promise rejections once the fetch fails (each would crash a Lambda's init).
 */
export async function secretFetchAtImport(
  file: string,
  lingerMs = 1500,
): Promise<{ requests: number; unhandledRejections: number }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'bench' }));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  try {
    // Asynchronous, so that the server in this process can answer meanwhile.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', IMPORT_AND_TIME, pathToFileURL(file).href, String(lingerMs)],
      { env: lambdaLikeEnv(`http://127.0.0.1:${port}`) },
    );
    return { requests, unhandledRejections: Number(/UNHANDLED=(\d+)/.exec(stdout)?.[1] ?? 0) };
  } finally {
    server.close();
  }
}
