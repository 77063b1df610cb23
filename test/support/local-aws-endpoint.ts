import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** One request the endpoint received: its headers and parsed JSON body. */
export interface ReceivedAwsRequest<B> {
  headers: IncomingHttpHeaders;
  body: B;
}

/** What the endpoint answers: a status and a JSON body (an AWS error has `__type`). */
export interface AwsAnswer {
  status: number;
  json: unknown;
}

/**
 * A local stand-in for an AWS service's JSON protocol, for one test file: the functions
 * call AWS with signed HTTP requests, not an SDK, so the boundary tests fake is HTTP.
 * `respond` answers each request; every request is recorded in `received`.
 */
export function useLocalAwsEndpoint<B>(
  respond: (body: B, headers: IncomingHttpHeaders) => AwsAnswer,
  contentType: string,
) {
  const received: ReceivedAwsRequest<B>[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      text += chunk;
    });
    request.on('end', () => {
      const body = JSON.parse(text) as B;
      received.push({ headers: request.headers, body });
      const { status, json } = respond(body, request.headers);
      response.writeHead(status, { 'content-type': contentType });
      response.end(JSON.stringify(json));
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));
  return {
    received,
    /** The endpoint's base URL; valid inside tests and hooks. */
    get url() {
      return url;
    },
  };
}
