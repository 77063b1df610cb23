import { Worker } from 'node:worker_threads';
import { assertValidOptions } from './chunking/options.ts';
import type { Chunk, ChunkingOptions } from './chunking/types.ts';
import { DocumentRejectedError, deserializeDocumentError } from './errors.ts';
import type { DocumentLimits } from './limits.ts';
import { assertAcceptableSize } from './size-checks.ts';
import type { ExtractedDocument, UploadedDocument } from './types.ts';
import type { ExtractionReply, ExtractionRequest, ExtractionResult } from './worker-protocol.ts';

/**
 * The worker entry next to this module: `.ts` when running from source (Node's type
 * stripping), `.mjs` when this code is bundled into a Lambda's `index.mjs`, which must
 * ship `extraction-worker.mjs` beside it.
 */
export const EXTRACTION_WORKER_URL = new URL(
  import.meta.url.endsWith('.ts') ? './extraction-worker.ts' : './extraction-worker.mjs',
  import.meta.url,
);

/** How often memory is checked during a parse; a bomb grows by a few hundred MB per second. */
const MEMORY_WATCH_INTERVAL_MS = 25;

export interface DocumentExtractorOptions {
  limits: DocumentLimits;
  /** Old-generation heap cap of each worker; a file that needs more is refused. Default 256. */
  maxHeapMb?: number;
  /** Workers kept warm between documents. Default 1 (a Lambda handles one request at a time). */
  idleWorkers?: number;
  /**
   * How far the process's resident memory may grow while one document is read; past it the
   * worker is terminated. The heap cap cannot see decoded streams (ArrayBuffers), which is
   * where a compression bomb inside a PDF lands. Default 768.
   */
  maxRssGrowthMb?: number;
  workerUrl?: URL;
}

/** How one request ended; an unhealthy worker (timed out, crashed) is terminated. */
interface Outcome {
  healthy: boolean;
  result?: ExtractionResult | null;
  error?: Error;
}

/** A document and its chunks, both made in the worker. */
export interface ChunkedDocument {
  document: ExtractedDocument;
  chunks: Chunk[];
}

export interface ExtractorStats {
  started: number;
  terminated: number;
  idle: number;
}

/**
 * Runs `extractDocument` in worker threads so that a hostile file cannot hang or exhaust
 * the function: each extraction has a wall-clock cap (`limits.parseTimeoutMs`) after which
 * its worker is terminated, and a heap cap; the next document gets a fresh worker.
 *
 * @example
 * const extractor = new DocumentExtractor({ limits: documentLimits(config.limits) });
 * const extracted = await extractor.extract({ bytes, filename: 'handbook.pdf' });
 */
export class DocumentExtractor {
  readonly #limits: DocumentLimits;
  readonly #maxHeapMb: number;
  readonly #idleWorkers: number;
  readonly #maxRssGrowthBytes: number;
  readonly #workerUrl: URL;
  readonly #idle: Worker[] = [];
  #nextId = 1;
  #started = 0;
  #terminated = 0;

  constructor(options: DocumentExtractorOptions) {
    this.#limits = options.limits;
    this.#maxHeapMb = options.maxHeapMb ?? 256;
    this.#idleWorkers = options.idleWorkers ?? 1;
    this.#maxRssGrowthBytes = (options.maxRssGrowthMb ?? 768) * 1024 * 1024;
    this.#workerUrl = options.workerUrl ?? EXTRACTION_WORKER_URL;
  }

  get stats(): ExtractorStats {
    return { started: this.#started, terminated: this.#terminated, idle: this.#idle.length };
  }

  /**
   * Extracts one document; rejects with a document error (413/415/422) for refused files.
   * `overrides` tighten or loosen the limits for this document only.
   */
  async extract(
    input: UploadedDocument,
    overrides: Partial<DocumentLimits> = {},
  ): Promise<ExtractedDocument> {
    return (await this.#extract(input, overrides, undefined)).document;
  }

  /**
   * Extracts one document and cuts it into chunks (`chunkDocument`, capped at
   * `limits.maxChunks`), both in the worker and under one time cap: chunking hostile text
   * costs CPU too, and on this thread it would block the event loop.
   *
   * @throws the document errors of {@link extract}, and `too_many_chunks` (422)
   * @throws RangeError for chunking options the request schema refuses
   * @example
   * const { document, chunks } = await extractor.extractAndChunk(input, DEFAULT_CHUNKING);
   */
  async extractAndChunk(
    input: UploadedDocument,
    chunking: ChunkingOptions,
    overrides: Partial<DocumentLimits> = {},
  ): Promise<ChunkedDocument> {
    assertValidOptions(chunking);
    const { document, chunks } = await this.#extract(input, overrides, chunking);
    return { document, chunks: chunks ?? [] };
  }

  async #extract(
    input: UploadedDocument,
    overrides: Partial<DocumentLimits>,
    chunking: ChunkingOptions | undefined,
  ): Promise<ExtractionResult> {
    const limits = { ...this.#limits, ...overrides };
    assertAcceptableSize(input.bytes, limits);
    const result = await this.#send({
      id: this.#nextId++,
      kind: 'extract',
      input: {
        bytes: input.bytes.slice(),
        filename: input.filename,
        contentType: input.contentType,
      },
      limits,
      chunking,
    });
    return result as ExtractionResult;
  }

  /**
   * Starts a worker and loads every parser in it, so that the first document does not pay
   * for it: call it during a Lambda's init phase. Does nothing if a worker is already idle.
   */
  async warmUp(): Promise<void> {
    if (this.#idle.length > 0) return;
    await this.#send({ id: this.#nextId++, kind: 'warm-up' });
  }

  /** Terminates every idle worker. */
  async close(): Promise<void> {
    await Promise.all(this.#idle.splice(0).map((worker) => this.#terminate(worker)));
  }

  #spawn(): Worker {
    this.#started += 1;
    const worker = new Worker(this.#workerUrl, {
      resourceLimits: { maxOldGenerationSizeMb: this.#maxHeapMb },
      // The worker needs no environment: no secrets cross into the parsers' thread.
      env: {},
    });
    worker.once('exit', () => {
      const index = this.#idle.indexOf(worker);
      if (index >= 0) this.#idle.splice(index, 1);
    });
    return worker;
  }

  /** Runs one request on an idle (or new) worker; a worker that failed is not reused. */
  async #send(request: ExtractionRequest): Promise<ExtractionResult | null> {
    const worker = this.#idle.pop() ?? this.#spawn();
    worker.ref();
    const timeoutMs =
      request.kind === 'extract' ? request.limits.parseTimeoutMs : this.#limits.parseTimeoutMs;
    const outcome = await this.#run(worker, request, timeoutMs);
    if (outcome.healthy) this.#release(worker);
    else await this.#terminate(worker);
    if (outcome.error) throw outcome.error;
    return outcome.result ?? null;
  }

  #run(worker: Worker, request: ExtractionRequest, timeoutMs: number): Promise<Outcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        settle({
          healthy: false,
          error: new DocumentRejectedError(
            'parse_timeout',
            `Reading the document took longer than ${timeoutMs} ms.`,
          ),
        });
      }, timeoutMs);
      const rssAtStart = process.memoryUsage.rss();
      const memoryWatch = setInterval(() => {
        if (process.memoryUsage.rss() - rssAtStart <= this.#maxRssGrowthBytes) return;
        settle({ healthy: false, error: memoryExceeded() });
      }, MEMORY_WATCH_INTERVAL_MS);
      memoryWatch.unref();
      const onMessage = (reply: ExtractionReply) => {
        if (reply.id !== request.id) return;
        settle(
          reply.ok
            ? { healthy: true, result: reply.result }
            : { healthy: true, error: deserializeDocumentError(reply.error) },
        );
      };
      const onError = (error: Error) => settle({ healthy: false, error: workerFailure(error) });
      const onExit = (code: number) =>
        settle({
          healthy: false,
          error: workerFailure(new Error(`The extraction worker exited with code ${code}.`)),
        });
      const settle = (outcome: Outcome) => {
        clearTimeout(timer);
        clearInterval(memoryWatch);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        resolve(outcome);
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      const transfer =
        request.kind === 'extract' ? [request.input.bytes.buffer as ArrayBuffer] : [];
      worker.postMessage(request, transfer);
    });
  }

  #release(worker: Worker): void {
    if (this.#idle.length >= this.#idleWorkers) {
      void this.#terminate(worker);
      return;
    }
    worker.unref();
    this.#idle.push(worker);
  }

  async #terminate(worker: Worker): Promise<void> {
    this.#terminated += 1;
    await worker.terminate();
  }
}

function memoryExceeded(cause?: Error): DocumentRejectedError {
  return new DocumentRejectedError(
    'parse_memory_exceeded',
    'Reading the document needed more memory than allowed.',
    cause ? { cause } : undefined,
  );
}

function workerFailure(error: Error): Error {
  if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return memoryExceeded(error);
  }
  // The parser itself crashed on this input: for the caller, a file that cannot be read.
  return new DocumentRejectedError('corrupt_file', 'The document could not be read.', {
    cause: error,
  });
}
