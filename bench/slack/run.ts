/**
 * Slack events benchmark: the events function as deployed (its production bundle), with
 * Redis (redis-server behind the local Upstash gateway) and the queue (SQS's SendMessage,
 * signed, to a local endpoint) in the loop. Prints:
 * - acknowledgement time of signed mentions, median and p99, in a warm container;
 * - the same for the first event of a cold container (a fresh process: import + event);
 * - module init time next to a bare handler's;
 * - Redis commands and round trips per event (deterministic for a given event kind).
 *
 *   npm run bench:slack        (EVENTS=500 COLD_RUNS=30 for more samples)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { stop as stopEsbuild } from 'esbuild';
import { toLambdaContext } from '#local/api-gateway-event.ts';
import { startLocalRedisStack } from '#local/local-stack.ts';
import { eventRequest, SAMPLE_WORKSPACE, sampleEvents } from '#local/slack-requests.ts';
import { proxyEvent } from '#test/support/proxy-event.ts';
import { buildBundle } from '../bundles/build.ts';
import { measureInitInterleaved } from '../bundles/measure-init.ts';
import { summarize } from '../lib/stats.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
const EVENTS = Math.max(200, Number(process.env.EVENTS ?? 250));
const COLD_RUNS = Math.max(10, Number(process.env.COLD_RUNS ?? 20));
const SECRET = 'bench-signing-secret-0123456789';
const fixed = (value: number) => `${value.toFixed(1)} ms`.padStart(9);

/** SQS's SendMessage over its JSON protocol: answers like SQS, counts the messages. */
async function startLocalSqs() {
  let messages = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      messages += 1;
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ MessageId: `m-${messages}`, MD5OfMessageBody: '0' }));
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, messages: () => messages, close: () => server.close() };
}

/**
 * Commands redis-server has processed so far. INFO reports the count before itself, so
 * between two calls the first INFO is counted once: subtract it from the difference.
 */
async function commandsProcessed(gatewayUrl: string, token: string): Promise<number> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: JSON.stringify(['INFO', 'stats']),
  });
  const { result } = (await response.json()) as { result: string };
  return Number(/total_commands_processed:(\d+)/.exec(result)?.[1] ?? Number.NaN);
}

const COLD_ACK = `
const started = performance.now();
const { handler } = await import(process.argv[1]);
const imported = performance.now();
const event = JSON.parse(process.env.BENCH_EVENT);
const response = await handler(event, { getRemainingTimeInMillis: () => 10000, awsRequestId: 'cold' });
const done = performance.now();
process.stdout.write('\\nINIT_MS=' + (imported - started) + ' ACK_MS=' + (done - started) + ' STATUS=' + response.statusCode + '\\n');
process.exit(0);
`;

async function main() {
  const redis = await startLocalRedisStack();
  const sqs = await startLocalSqs();
  const outDir = mkdtempSync(join(tmpdir(), 'bench-slack-'));
  try {
    const env: Record<string, string> = {
      UPSTASH_REDIS_REST_URL: redis.url,
      UPSTASH_REDIS_REST_TOKEN: redis.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'fake-slack-bot-token-for-the-bench',
      SLACK_DEFAULT_TENANT: 'bench',
      LOG_LEVEL: 'SILENT',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL_SQS: sqs.url,
      QUEUE_URL_SLACK_ANSWERS: `${sqs.url}000000000000/agent-platform-bench-slack-answers`,
    };
    Object.assign(process.env, env);

    const events = await buildBundle(
      projectRoot,
      join(projectRoot, 'functions/slack-events/handler.ts'),
      join(outDir, 'slack-events'),
    );
    const bare = await buildBundle(
      projectRoot,
      join(projectRoot, 'bench/bundles/baseline-handler.ts'),
      join(outDir, 'bare'),
    );
    // Left running, esbuild's service takes CPU from the timed imports.
    await stopEsbuild();
    console.log(
      `Slack events benchmark: Node ${process.version}, bundle ${(events.bytes / 1024).toFixed(1)} KiB (gzip ${(events.gzipBytes / 1024).toFixed(1)} KiB)\n`,
    );

    // Warm: one container, many events.
    const { handler } = (await import(pathToFileURL(events.outfile).href)) as {
      handler: (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
    };
    const request = (envelope: unknown) =>
      proxyEvent('POST', '/slack/events', eventRequest(SECRET, envelope));
    const context = () => toLambdaContext('slack-events', 10);
    for (let i = 0; i < 20; i += 1) {
      await handler(request(sampleEvents.mention(SAMPLE_WORKSPACE, `warm-up ${i}`)), context());
    }
    const warm: number[] = [];
    for (let i = 0; i < EVENTS; i += 1) {
      const event = request(sampleEvents.mention(SAMPLE_WORKSPACE, `question ${i}`));
      const started = performance.now();
      const response = await handler(event, context());
      warm.push(performance.now() - started);
      if (response.statusCode !== 200) throw new Error(`ack ${response.statusCode}`);
    }

    // Per event kind: Redis commands and round trips.
    const perEvent: [string, () => unknown][] = [
      ['mention (queued)', () => sampleEvents.mention(SAMPLE_WORKSPACE, 'count me')],
      [
        'thread reply, bot not in thread (ignored)',
        () => sampleEvents.threadReply(SAMPLE_WORKSPACE, '1700000000.000001', 'count me'),
      ],
      [
        'own message (ignored before Redis)',
        () => ({
          ...sampleEvents.directMessage(SAMPLE_WORKSPACE, 'count me'),
          event: {
            type: 'message',
            channel_type: 'im',
            user: SAMPLE_WORKSPACE.botUserId,
            text: 'x',
            ts: '1700000000.000002',
            channel: SAMPLE_WORKSPACE.dmChannel,
          },
        }),
      ],
    ];
    const counts: { kind: string; commands: number; roundTrips: number }[] = [];
    for (const [kind, make] of perEvent) {
      const envelope = make();
      const commandsBefore = await commandsProcessed(redis.url, redis.token);
      const tripsBefore = redis.gateway.requestCount;
      await handler(request(envelope), context());
      const tripsAfter = redis.gateway.requestCount;
      const commandsAfter = await commandsProcessed(redis.url, redis.token);
      counts.push({
        kind,
        commands: commandsAfter - commandsBefore - 1,
        roundTrips: tripsAfter - tripsBefore,
      });
    }
    const retryEnvelope = sampleEvents.mention(SAMPLE_WORKSPACE, 'retried');
    await handler(request(retryEnvelope), context());
    const commandsBefore = await commandsProcessed(redis.url, redis.token);
    const tripsBefore = redis.gateway.requestCount;
    await handler(
      proxyEvent('POST', '/slack/events', eventRequest(SECRET, retryEnvelope, { retryNum: 1 })),
      context(),
    );
    counts.push({
      kind: 'retry of a queued event (dropped)',
      roundTrips: redis.gateway.requestCount - tripsBefore,
      commands: (await commandsProcessed(redis.url, redis.token)) - commandsBefore - 1,
    });

    // Cold: a fresh process per sample, import and first event.
    const cold = { init: [] as number[], ack: [] as number[] };
    for (let run = 0; run < COLD_RUNS; run += 1) {
      const event = request(sampleEvents.mention(SAMPLE_WORKSPACE, `cold ${run}`));
      // Asynchronous: the Redis gateway and the SQS endpoint answer from this process.
      const { stdout: output } = await promisify(execFile)(
        process.execPath,
        [
          '--enable-source-maps',
          '--input-type=module',
          '-e',
          COLD_ACK,
          pathToFileURL(events.outfile).href,
        ],
        {
          env: { PATH: process.env.PATH, ...env, BENCH_EVENT: JSON.stringify(event) },
          encoding: 'utf8',
        },
      );
      const match = /INIT_MS=([\d.]+) ACK_MS=([\d.]+) STATUS=(\d+)/.exec(output);
      if (match?.[3] !== '200' || !match) throw new Error(`cold run failed: ${output}`);
      cold.init.push(Number(match[1]));
      cold.ack.push(Number(match[2]));
    }
    const [bareInit = [], eventsInit = []] = measureInitInterleaved(
      [bare.outfile, events.outfile],
      COLD_RUNS,
    );

    const w = summarize(warm);
    const c = summarize(cold.ack);
    const ci = summarize(cold.init);
    console.log(
      `acknowledgement of a signed mention (verify, tenant, settings, dedupe, SQS send):`,
    );
    console.log(
      `  warm, ${EVENTS} events          median ${fixed(w.median)}   p99 ${fixed(w.p99)}`,
    );
    console.log(
      `  cold (import + 1st event), ${COLD_RUNS} processes  median ${fixed(c.median)}   p99 ${fixed(c.p99)}`,
    );
    console.log(
      `    of which module import        median ${fixed(ci.median)}   p99 ${fixed(ci.p99)}`,
    );
    console.log(`module init, ${COLD_RUNS} fresh processes each (with --enable-source-maps):`);
    console.log(
      `  bare handler                  median ${fixed(summarize(bareInit).median)}   p90 ${fixed(summarize(bareInit).p90)}`,
    );
    console.log(
      `  slack-events                  median ${fixed(summarize(eventsInit).median)}   p90 ${fixed(summarize(eventsInit).p90)}`,
    );
    console.log('Redis per event:');
    for (const { kind, commands, roundTrips } of counts) {
      console.log(`  ${kind.padEnd(44)} ${commands} commands, ${roundTrips} round trips`);
    }
    console.log(`SQS messages sent: ${sqs.messages()}`);
  } finally {
    sqs.close();
    await redis.stop();
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
