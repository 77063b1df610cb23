import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { FunctionDefinition } from '#functions/function-definition.ts';
import { NotConfiguredError } from '#shared/platform/errors/index.ts';
import { queueUrlVariable } from '#shared/platform/queues/queue-url.ts';
import { toLambdaContext } from './api-gateway-event.ts';
import { loadHandler } from './handler-loader.ts';
import { LocalQueue } from './local-queue.ts';

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/** SQS's visibility timeout is minutes for a deployed consumer; locally a retry comes sooner. */
const LOCAL_VISIBILITY_TIMEOUT_MS = 5_000;

/** The catalog's queues, in process. */
export interface LocalQueues {
  get(name: string): LocalQueue | undefined;
  /** Sends a message, as a producer function's queue sender would (JSON body). */
  send(name: string, message: unknown): string;
  stop(): void;
}

/**
 * One {@link LocalQueue} per queue function of the catalog, delivering to its handler with
 * the catalog's batch size and receive count.
 */
export function startLocalQueues(
  catalog: FunctionDefinition[],
  options: { visibilityTimeoutMs?: number } = {},
): LocalQueues {
  const queues = new Map<string, LocalQueue>();
  for (const fn of catalog) {
    const { trigger } = fn;
    if (trigger.kind !== 'queue') continue;
    const queue = new LocalQueue({
      name: trigger.queue,
      batchSize: trigger.batchSize,
      maxReceiveCount: trigger.maxReceiveCount,
      visibilityTimeoutMs: options.visibilityTimeoutMs ?? LOCAL_VISIBILITY_TIMEOUT_MS,
    });
    queue.consume(async (event) => {
      const handler = await loadHandler<SqsHandler>(fn);
      return handler(event, toLambdaContext(fn.name, fn.timeoutSeconds));
    });
    queues.set(trigger.queue, queue);
  }
  return {
    get: (name) => queues.get(name),
    send(name, message) {
      const queue = queues.get(name);
      // As deployed: a function may only send to a queue the catalog gives it.
      if (!queue) throw new NotConfiguredError([queueUrlVariable(name)]);
      return queue.send(JSON.stringify(message));
    },
    stop() {
      for (const queue of queues.values()) queue.stop();
    },
  };
}
