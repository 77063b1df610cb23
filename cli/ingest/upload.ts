import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { CliError } from '../errors.ts';
import type { ApiClient } from '../http/client.ts';
import type { DocumentRecord, IngestResult } from '../http/types.ts';
import type { FoundFile } from './collect.ts';

/**
 * No deployment takes a larger request body (Lambda's invocation limit caps
 * `DOCUMENT_MAX_BYTES`), and base64 makes a file a third larger: a bigger file is refused
 * here without being read into memory.
 */
const LARGEST_REQUEST_BYTES = 6 * 1024 * 1024;
const LARGEST_FILE_BYTES = Math.floor((LARGEST_REQUEST_BYTES * 3) / 4);

export type FileStatus = 'created' | 'replaced' | 'unchanged' | 'skipped' | 'failed';

export interface FileOutcome {
  path: string;
  source: string;
  bytes: number;
  status: FileStatus;
  documentId?: string;
  type?: string;
  chunks: number;
  /** Why it failed, or why it was skipped. */
  reason?: string;
}

export interface UploadOptions {
  concurrency: number;
  /** What the platform has, by source; a file with the same SHA-256 is not sent again. */
  known: Map<string, DocumentRecord>;
  onDone(outcome: FileOutcome): void;
}

/**
 * Sends files a few at a time. A file the platform already has (same source, same bytes)
 * is skipped without being read into a request. A failure is recorded against its file
 * and the rest go on, except failures every file would hit (a refused key, a missing
 * scope, an unreachable API), which stop the run.
 */
export async function uploadFiles(
  api: ApiClient,
  files: FoundFile[],
  options: UploadOptions,
): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = new Array(files.length);
  let next = 0;
  let fatal: unknown;
  const worker = async () => {
    while (fatal === undefined && next < files.length) {
      const index = next;
      next += 1;
      const file = files[index] as FoundFile;
      try {
        outcomes[index] = await uploadOne(api, file, options.known);
      } catch (error) {
        if (!(error instanceof CliError) || stopsTheRun(error)) {
          fatal ??= error;
          return;
        }
        outcomes[index] = { ...base(file), status: 'failed', chunks: 0, reason: error.message };
      }
      options.onDone(outcomes[index] as FileOutcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, files.length) }, worker));
  if (fatal !== undefined) throw fatal;
  return outcomes;
}

async function uploadOne(
  api: ApiClient,
  file: FoundFile,
  known: Map<string, DocumentRecord>,
): Promise<FileOutcome> {
  if (file.bytes > LARGEST_FILE_BYTES) {
    throw new CliError(
      `${file.path} (${file.bytes} bytes) is too large: no deployment accepts a file over ${LARGEST_FILE_BYTES} bytes (a ${LARGEST_REQUEST_BYTES}-byte request once base64-encoded); it was not sent.`,
      { code: 'file_too_large' },
    );
  }
  const bytes = await readFile(file.path).catch((error: NodeJS.ErrnoException) => {
    // One unreadable file is that file's failure, not the end of the run.
    throw new CliError(`${file.path} could not be read (${error.code ?? error.message}).`, {
      code: 'unreadable',
    });
  });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const stored = known.get(file.source);
  if (stored?.fileSha256 === sha256) {
    return {
      ...base(file),
      status: 'skipped',
      documentId: stored.id,
      type: stored.metadata.documentType,
      chunks: stored.chunkCount,
      reason: 'same content already ingested',
    };
  }
  const result = await api.json<IngestResult>({
    method: 'POST',
    path: '/v1/documents',
    body: {
      filename: basename(file.path),
      source: file.source,
      contentBase64: bytes.toString('base64'),
    },
    scope: 'documents:write',
    file: file.path,
    fileBytes: bytes.length,
  });
  return {
    ...base(file),
    status: result.status,
    documentId: result.id,
    type: result.type,
    chunks: result.chunkCount,
  };
}

function base(file: FoundFile): Pick<FileOutcome, 'path' | 'source' | 'bytes'> {
  return { path: file.path, source: file.source, bytes: file.bytes };
}

function stopsTheRun(error: CliError): boolean {
  return (
    error.status === 401 ||
    (error.status === 403 && error.code === 'forbidden') ||
    error.code === 'unreachable'
  );
}
