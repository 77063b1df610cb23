/**
 * The environment variable holding a queue's URL in a function that sends to it,
 * `QUEUE_URL_SLACK_ANSWERS` for `slack-answers`: set by the CDK app from the catalog's
 * `sendsTo`, read by the queue sender.
 */
export function queueUrlVariable(queue: string): string {
  return `QUEUE_URL_${queue.toUpperCase().replaceAll('-', '_')}`;
}
