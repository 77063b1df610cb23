/**
 * Chat turn benchmark, through the real handler stack: the local API server as
 * `npm run dev` serves it, a real redis-server behind the local Upstash gateway, and the
 * real `openai` SDK against the local model server (answering at once), then offline
 * mode. Prints per turn: Redis round trips (beside the middleware's own) and commands,
 * embeddings and model requests, all counted at the servers; then the median and p99 of
 * a turn's time, its non-model overhead and the streamed answer's first byte, against a
 * bare handler and the middleware alone served the same way.
 *
 *   npm run bench:chat            (BENCH_CHAT_TURNS=200 by default; each mode in its own process)
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { ms } from '../lib/stats.ts';
import type { CaseCounts, Mode, ModeResult } from './measure.ts';

const BUDGET = { roundTripsBeyondMiddleware: 2, commands: 12, embeddings: 1, model: 1, p99: 20 };

async function runMode(mode: Mode): Promise<ModeResult> {
  const args = ['--chat-mode', ...(mode === 'offline' ? ['--offline'] : [])];
  const child = fork(new URL('./measure.ts', import.meta.url), args, { stdio: 'inherit' });
  const message = once(child, 'message') as Promise<[ModeResult]>;
  const exit = once(child, 'exit').then(([code]) => {
    throw new Error(`the ${mode} run exited with code ${code} before reporting`);
  });
  const [result] = await Promise.race([message, exit]);
  return result;
}

/** A count that is the same in every repetition, or its range if it is not. */
function value(runs: CaseCounts['runs'], pick: (run: CaseCounts['runs'][number]) => number) {
  const values = runs.map(pick);
  const low = Math.min(...values);
  const high = Math.max(...values);
  return { low, high, text: low === high ? String(low) : `${low}-${high}` };
}

const missed: string[] = [];
for (const mode of ['model', 'offline'] as const) {
  const result = await runMode(mode);
  const title =
    mode === 'model'
      ? 'model mode: the openai SDK against the local model server (answers at once)'
      : 'offline mode: no model key (offline embedder, extractive answerer)';
  console.log(
    `\n${title}\nknowledge base: ${result.chunks} chunks in ${result.documents} documents, ingested through POST /v1/documents`,
  );
  const middleware = result.counts[0]?.runs ?? [];
  const middlewareTrips = value(middleware, (run) => run.redisRequests).high;
  console.log(
    [
      'per request'.padEnd(38),
      'round trips'.padStart(11),
      'beyond mw'.padStart(10),
      'commands'.padStart(9),
      'multi/exec'.padStart(11),
      'embeddings'.padStart(11),
      'model'.padStart(6),
    ].join(' '),
  );
  for (const { name, runs } of result.counts) {
    const trips = value(runs, (run) => run.redisRequests);
    const beyond = value(runs, (run) => run.redisRequests - middlewareTrips);
    const commands = value(runs, (run) => run.redisCommands);
    const transaction = value(
      runs,
      (run) => (run.redisCommandsByName.MULTI ?? 0) + (run.redisCommandsByName.EXEC ?? 0),
    );
    const embeddings = value(runs, (run) => run.embeddingsRequests);
    const model = value(runs, (run) => run.chatRequests);
    console.log(
      [
        name.padEnd(38),
        trips.text.padStart(11),
        (name.startsWith('middleware') ? '-' : beyond.text).padStart(10),
        commands.text.padStart(9),
        transaction.text.padStart(11),
        (mode === 'offline' ? '-' : embeddings.text).padStart(11),
        (mode === 'offline' ? '-' : model.text).padStart(6),
      ].join(' '),
    );
    if (name.startsWith('middleware')) continue;
    const where = `${mode}, ${name}`;
    if (beyond.high > BUDGET.roundTripsBeyondMiddleware)
      missed.push(`${where}: ${beyond.text} round trips beyond the middleware's`);
    if (commands.high > BUDGET.commands) missed.push(`${where}: ${commands.text} commands`);
    if (mode === 'model' && !name.includes('replay')) {
      if (embeddings.high !== BUDGET.embeddings)
        missed.push(`${where}: ${embeddings.text} embeddings requests`);
      if (model.high !== BUDGET.model) missed.push(`${where}: ${model.text} model requests`);
    }
  }
  console.log('commands by name (first repetition):');
  for (const { name, runs } of result.counts) {
    const byName = Object.entries(runs[0]?.redisCommandsByName ?? {})
      .map(([command, count]) => `${command} ${count}`)
      .join(', ');
    console.log(`  ${name.padEnd(38)} ${byName}`);
  }

  console.log(
    `\n${'time per request'.padEnd(52)} ${'median'.padStart(10)} ${'p99'.padStart(10)} ${'CPU/request'.padStart(12)}`,
  );
  for (const { name, median, p99, cpu } of result.timings) {
    const cpuText = cpu === undefined ? '' : ms(cpu);
    console.log(
      `${name.padEnd(52)} ${ms(median).padStart(10)} ${ms(p99).padStart(10)} ${cpuText.padStart(12)}`,
    );
  }
  console.log(
    `(${result.turns} rounds after 20 warm-up, each one request of every row in this order; turns continue a conversation for 10 turns, then start a new one)`,
  );
  const overhead = result.timings.find((timing) =>
    timing.name.startsWith(mode === 'model' ? 'non-model overhead' : 'chat turn, JSON'),
  );
  if (overhead && overhead.p99 >= BUDGET.p99) {
    missed.push(`${mode}: non-model overhead p99 ${ms(overhead.p99)}`);
  }
}

console.log(
  `\nbudgets: <= ${BUDGET.roundTripsBeyondMiddleware} round trips beyond the middleware's, <= ${BUDGET.commands} commands (MULTI and EXEC counted), ${BUDGET.embeddings} embeddings and ${BUDGET.model} model request, p99 overhead < ${BUDGET.p99} ms`,
);
if (missed.length === 0) console.log('all met');
else for (const line of missed) console.log(`missed: ${line}`);
process.exit(0);
