/**
 * One mode of the chat benchmark (`model`: the real `openai` SDK against the local model
 * server; `offline`: no model key), run in its own process by `bench/chat/run.ts`, which
 * prints what this sends back. Serves the catalog through the local API server as
 * `npm run dev` does, with Redis (and the model server) in a child process.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { functionCatalog } from '#functions/catalog.ts';
import { startApiServer } from '#local/api-server.ts';
import { hashApiKey } from '#shared/auth/api-key-format.ts';
import { resetConfigCache } from '#shared/platform/config/index.ts';
import { type ServiceCounts, startRemoteServices } from '../lib/remote-services.ts';
import { summarize } from '../lib/stats.ts';
import { BARE_PATH, benchFunctions, MIDDLEWARE_ONLY_PATH } from './functions/catalog.ts';
import { benchDocuments, benchMessages } from './knowledge-base.ts';

export type Mode = 'model' | 'offline';

export interface CaseCounts {
  name: string;
  /** One entry per repetition: the counts must not vary. */
  runs: Omit<ServiceCounts, 'modelServerMs'>[];
}

export interface Timing {
  name: string;
  median: number;
  p99: number;
  /** Mean CPU time of this process per request, where measured. */
  cpu?: number;
}

export interface ModeResult {
  mode: Mode;
  chunks: number;
  documents: number;
  turns: number;
  counts: CaseCounts[];
  timings: Timing[];
}

const TIMED_TURNS = Number(process.env.BENCH_CHAT_TURNS ?? 200);
const WARMUP_TURNS = 20;
const REPETITIONS = 3;
const TURNS_PER_CONVERSATION = 10;
const PROFILED_TURNS = 200;
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef0123456789';
const TENANT = 'bench';

export async function measure(mode: Mode): Promise<ModeResult> {
  const services = await startRemoteServices({ model: mode === 'model' });
  Object.assign(process.env, {
    UPSTASH_REDIS_REST_URL: services.redis.url,
    UPSTASH_REDIS_REST_TOKEN: services.redis.token,
    ADMIN_API_KEY_SHA256: hashApiKey(ADMIN_KEY),
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOG_LEVEL: 'SILENT',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    OPENAI_API_KEY: services.model?.apiKey ?? '',
    OPENAI_BASE_URL: services.model?.baseUrl ?? '',
  });
  if (!services.model) delete process.env.OPENAI_BASE_URL;
  resetConfigCache();
  const api = await startApiServer({ catalog: [...functionCatalog, ...benchFunctions] });
  const messages = benchMessages();
  let messageIndex = 0;
  const nextMessage = () => messages[messageIndex++ % messages.length] as string;

  async function call(
    path: string,
    key: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${text}`);
    return { status: response.status, json };
  }

  /** A stored key, so authentication reads Redis as it does for every tenant's callers. */
  async function freshKey(scopes: string[]): Promise<string> {
    const { json } = await call('/v1/keys', ADMIN_KEY, {
      name: 'bench',
      scopes,
      tenant: TENANT,
    });
    const key = json.key as string;
    // A key's first use stamps `lastUsedAt` (once a minute at most): done here, not counted.
    await call(MIDDLEWARE_ONLY_PATH, key, { userId: 'warm', message: 'warm' });
    return key;
  }

  type Turn = { conversationId?: string; memory?: boolean };
  const turn = async (key: string, userId: string, options: Turn = {}, headers = {}) =>
    (await call('/v1/chat', key, { userId, message: nextMessage(), ...options }, headers)).json;

  // A knowledge base of realistic size, ingested through the API with the API's embedder.
  const writer = await freshKey(['chat', 'documents:write']);
  let chunks = 0;
  const documents = benchDocuments();
  for (const document of documents) {
    const { json } = await call('/v1/documents', writer, {
      ...document,
      contentType: 'text/markdown',
      source: `bench/${document.title}.md`,
    });
    chunks += json.chunkCount as number;
  }

  // Warm: every handler loaded, the knowledge base in the chat function's index.
  for (let i = 0; i < WARMUP_TURNS; i += 1) await turn(writer, 'warm-up');

  // Counts, each case from a fresh key and user so nothing carries over between cases.
  const countCase = async (
    name: string,
    prepare: () => Promise<() => Promise<unknown>>,
  ): Promise<CaseCounts> => {
    const runs: CaseCounts['runs'] = [];
    for (let r = 0; r < REPETITIONS; r += 1) {
      const run = await prepare();
      await services.resetCounts();
      await run();
      const { modelServerMs: _, ...counts } = await services.counts();
      runs.push(counts);
    }
    return { name, runs };
  };
  let users = 0;
  const newUser = () => {
    users += 1;
    return `user-${users}`;
  };
  const withHistory = async (key: string, userId: string) => {
    const first = await turn(key, userId);
    const conversationId = first.conversationId as string;
    for (let i = 0; i < 3; i += 1) await turn(key, userId, { conversationId });
    return conversationId;
  };
  const counts: CaseCounts[] = [];
  counts.push(
    await countCase('middleware only (no-op route)', async () => {
      const key = await freshKey(['chat']);
      return () => call(MIDDLEWARE_ONLY_PATH, key, { userId: 'u', message: 'hello' });
    }),
  );
  counts.push(
    await countCase('new conversation', async () => {
      const key = await freshKey(['chat']);
      const userId = newUser();
      await turn(key, userId);
      return () => turn(key, userId);
    }),
  );
  counts.push(
    await countCase('new conversation, streamed', async () => {
      const key = await freshKey(['chat']);
      const userId = newUser();
      await turn(key, userId);
      return () => streamTurn(api.url, key, { userId, message: nextMessage() });
    }),
  );
  counts.push(
    await countCase('continued (4 turns of history)', async () => {
      const key = await freshKey(['chat']);
      const userId = newUser();
      const conversationId = await withHistory(key, userId);
      return () => turn(key, userId, { conversationId });
    }),
  );
  counts.push(
    await countCase('continued, Idempotency-Key', async () => {
      const key = await freshKey(['chat']);
      const userId = newUser();
      const conversationId = await withHistory(key, userId);
      const idempotencyKey = `bench-${users}`;
      return () => turn(key, userId, { conversationId }, { 'idempotency-key': idempotencyKey });
    }),
  );
  counts.push(
    await countCase('same Idempotency-Key again (replay)', async () => {
      const key = await freshKey(['chat']);
      const userId = newUser();
      const conversationId = await withHistory(key, userId);
      const body = { userId, message: 'replayed question', conversationId };
      const headers = { 'idempotency-key': `bench-${users}` };
      await call('/v1/chat', key, body, headers);
      return () => call('/v1/chat', key, body, headers);
    }),
  );
  counts.push(
    await countCase('continued, memory off', async () => {
      const key = await freshKey(['chat']);
      const userId = newUser();
      const conversationId = await withHistory(key, userId);
      return () => turn(key, userId, { conversationId, memory: false });
    }),
  );

  // Timings, in rounds: each round sends one request of every row in turn, so a slow
  // stretch of this shared machine falls on every row alike. Turns are one user's, a new
  // conversation every few turns, as a chat client sends them. Beside wall time, this
  // process's CPU per request (client, API emulation and handler together).
  const key = await freshKey(['chat']);
  let conversationId: string | undefined;
  let inConversation = 0;
  const nextConversation = (answer: { conversationId: string }) => {
    inConversation += 1;
    conversationId =
      inConversation % TURNS_PER_CONVERSATION === 0 ? undefined : answer.conversationId;
  };
  const current = () => (conversationId ? { conversationId } : {});
  const rows = {
    bare: new Row(),
    middleware: new Row(),
    json: new Row(),
    headers: new Row(),
    firstByte: new Row(),
    meta: new Row(),
    streamed: new Row(),
  };
  const round = async (record: boolean) => {
    const probe = { userId: 'timed', message: 'hello' };
    await rows.bare.time(record, () => call(BARE_PATH, key, probe));
    await rows.middleware.time(record, () => call(MIDDLEWARE_ONLY_PATH, key, probe));
    await rows.json.time(record, async () => {
      const answer = await turn(key, 'timed', current());
      nextConversation(answer as { conversationId: string });
    });
    const started = performance.now();
    const result = await rows.streamed.time(record, () =>
      streamTurn(api.url, key, { userId: 'timed', message: nextMessage(), ...current() }),
    );
    nextConversation(result.done as { conversationId: string });
    if (record) {
      rows.headers.samples.push(result.headersAt - started);
      rows.firstByte.samples.push(result.firstByteAt - started);
      rows.meta.samples.push(result.metaAt - started);
    }
  };
  for (let i = 0; i < WARMUP_TURNS; i += 1) await round(false);
  await services.resetCounts();
  for (let i = 0; i < TIMED_TURNS; i += 1) await round(true);
  const { modelServerMs } = await services.counts();

  const profile = await startProfile();
  if (profile) {
    for (let i = 0; i < PROFILED_TURNS; i += 1) {
      const answer = await turn(key, 'timed', current());
      nextConversation(answer as { conversationId: string });
    }
    await profile.stop(`${mode}-json-turns`);
  }

  const timings: Timing[] = [];
  const add = (name: string, row: Row, samples = row.samples) =>
    timings.push({ name, ...pick(summarize(samples)), ...row.cpuPerRequest() });
  add('bare handler (HTTP floor)', rows.bare);
  add('middleware only (no-op route)', rows.middleware);
  add('chat turn, JSON (whole answer)', rows.json);
  if (mode === 'model') {
    // Each round's model requests, in order: the JSON turn's embeddings and chat, then the
    // streamed turn's.
    if (modelServerMs.length !== 4 * TIMED_TURNS) {
      throw new Error(`expected ${4 * TIMED_TURNS} model requests, saw ${modelServerMs.length}`);
    }
    const modelTime = (i: number, first: number) =>
      (modelServerMs[4 * i + first] as number) + (modelServerMs[4 * i + first + 1] as number);
    const jsonModel = rows.json.samples.map((_, i) => modelTime(i, 0));
    timings.push({ name: "  of which the model server's own time", ...pick(summarize(jsonModel)) });
    timings.push({
      name: 'non-model overhead (JSON turn minus model server)',
      ...pick(summarize(rows.json.samples.map((sample, i) => sample - (jsonModel[i] as number)))),
    });
  }
  add('streamed: response headers', new Row(), rows.headers.samples);
  add('streamed: first SSE byte', new Row(), rows.firstByte.samples);
  add('streamed: whole `meta` event', new Row(), rows.meta.samples);
  add('streamed: whole answer (`done`)', rows.streamed);

  await api.close();
  await services.stop();
  return {
    mode,
    chunks,
    documents: documents.length,
    turns: TIMED_TURNS,
    counts,
    timings,
  };
}

/**
 * With BENCH_CHAT_PROFILE=<directory>, a CPU profile of {@link PROFILED_TURNS} JSON turns
 * (after the timed rounds, untimed) is written there, to see where a turn's time goes (open
 * it in Chrome DevTools).
 */
async function startProfile() {
  const directory = process.env.BENCH_CHAT_PROFILE;
  if (!directory) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(name: string) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(directory, { recursive: true });
      writeFileSync(join(directory, `${name}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** One row of the timing table: wall time per request, and this process's CPU time. */
class Row {
  readonly samples: number[] = [];
  private cpuMicros = 0;

  async time<T>(record: boolean, run: () => Promise<T>): Promise<T> {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await run();
    const elapsed = performance.now() - started;
    const used = process.cpuUsage(cpu);
    if (record) {
      this.samples.push(elapsed);
      this.cpuMicros += used.user + used.system;
    }
    return result;
  }

  cpuPerRequest(): { cpu?: number } {
    return this.samples.length > 0 && this.cpuMicros > 0
      ? { cpu: this.cpuMicros / 1000 / this.samples.length }
      : {};
  }
}

const pick = ({ median, p99 }: { median: number; p99: number }) => ({ median, p99 });

interface StreamedTurn {
  headersAt: number;
  firstByteAt: number;
  metaAt: number;
  endAt: number;
  done: Record<string, unknown>;
}

/** A streamed turn, read as a client does: the time of the headers, first byte and `meta`. */
async function streamTurn(url: string, key: string, body: unknown): Promise<StreamedTurn> {
  const response = await fetch(`${url}/v1/chat`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
    },
    body: JSON.stringify(body),
  });
  const headersAt = performance.now();
  if (response.status !== 200 || !response.body) {
    throw new Error(`streamed turn: ${response.status} ${await response.text()}`);
  }
  const decoder = new TextDecoder();
  let text = '';
  let firstByteAt = 0;
  let metaAt = 0;
  for await (const chunk of response.body) {
    if (firstByteAt === 0) firstByteAt = performance.now();
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    if (metaAt === 0 && /^event: meta\ndata: .*\n\n/m.test(text)) metaAt = performance.now();
  }
  const endAt = performance.now();
  const events = text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return {
        event: eventLine?.slice('event: '.length),
        data: JSON.parse(dataLine?.slice('data: '.length) ?? 'null'),
      };
    });
  const order = events.map((event) => event.event);
  if (order[0] !== 'meta' || order.at(-1) !== 'done') {
    throw new Error(`streamed turn: unexpected events ${order.join(', ')}`);
  }
  return { headersAt, firstByteAt, metaAt, endAt, done: events.at(-1)?.data };
}

if (process.argv.includes('--chat-mode') && process.send) {
  const mode = process.argv.includes('--offline') ? 'offline' : 'model';
  process.send(await measure(mode));
  process.exit(0);
}
