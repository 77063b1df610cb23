import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type Config, configMiddleware } from '../config/index.ts';
import { getServices, type Services } from '../services.ts';
import { earlyTimeout } from './deadline.ts';

/** What every function's context carries once the base stack has run. */
export interface BaseContext extends Context {
  config: Config;
  services: Services;
  /** The request id logs and error bodies carry. */
  requestId: string;
}

type Middleware<E, R, C extends BaseContext> = MiddlewareObj<E, R, Error, C>;

export interface BaseStackOptions<E, R, C extends BaseContext> {
  /** Lambda response streaming (API Gateway's STREAM transfer mode). */
  streamifyResponse?: boolean;
  /**
   * Whether middy answers a 503 just before Lambda's limit (default true). A queue stack
   * turns it off: failing the invocation would send back every record of the batch,
   * finished ones included; it stops starting records near the deadline instead.
   */
  earlyTimeout?: boolean;
  /** Sets `requestId` and writes the one log line per invocation; runs first, ends last. */
  log: Middleware<E, R, C>;
  /** Transport concerns that must also apply to errors (security headers, CORS). */
  outer?: Middleware<E, R, C>[];
  /** The trigger's own steps once configuration and services are there. */
  inner?: Middleware<E, R, C>[];
  /** Turns an error into the trigger's answer (an HTTP error body); none: it is thrown. */
  errors?: Middleware<E, R, C>;
}

/**
 * The one stack every function is built on, whatever starts it: the invocation's log
 * line, the early deadline, the validated configuration (read once per cold start and
 * refreshed on rotation) and the container's services, then the trigger's own steps.
 * `before` runs top to bottom and `after`/`onError` bottom to top, so the error responder
 * answers first and the outer steps and the log line see every outcome, errors included.
 */
export function baseStack<E, R, C extends BaseContext>(options: BaseStackOptions<E, R, C>) {
  const stack = middy<E, R, Error, C>({
    ...(options.earlyTimeout === false ? { timeoutEarlyInMillis: 0 } : earlyTimeout),
    streamifyResponse: options.streamifyResponse ?? false,
  })
    .use(options.log)
    .use(options.outer ?? [])
    .use(configMiddleware<E, R, C>())
    .use(servicesMiddleware<E, R, C>())
    .use(options.inner ?? []);
  if (options.errors) stack.use(options.errors);
  return stack;
}

/** The container's services for the current configuration, on `context.services`. */
function servicesMiddleware<E, R, C extends BaseContext>(): Middleware<E, R, C> {
  return {
    before: (request) => {
      request.context.services = getServices(request.context.config);
    },
  };
}
