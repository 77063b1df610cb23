/**
 * Entry point of the document extraction worker thread, spawned by `DocumentExtractor`.
 * In Lambda it is bundled on its own, as `extraction-worker.mjs` next to the handler.
 */
import { parentPort } from 'node:worker_threads';
import { chunkDocument } from './chunking/chunk-document.ts';
import { DocumentRejectedError, isDocumentError, serializeDocumentError } from './errors.ts';
import { extractDocument, loadParsers } from './extract-document.ts';
import type { ExtractionReply, ExtractionRequest } from './worker-protocol.ts';

// No parser has a reason to reach the network; if one tries, it fails here.
globalThis.fetch = () =>
  Promise.reject(new Error('Network access is disabled in the document extraction worker.'));

const port = parentPort;
if (!port) throw new Error('extraction-worker.ts must run as a worker thread.');

port.on('message', async (request: ExtractionRequest) => {
  let reply: ExtractionReply;
  try {
    if (request.kind === 'warm-up') {
      await loadParsers();
      reply = { id: request.id, ok: true, result: null };
    } else {
      const document = await extractDocument(request.input, request.limits);
      // Chunking is CPU work on untrusted text too: it runs here, under the same time cap.
      const chunks = request.chunking
        ? chunkDocument(document, request.chunking, request.limits.maxChunks)
        : undefined;
      reply = { id: request.id, ok: true, result: { document, chunks } };
    }
  } catch (error) {
    const known = isDocumentError(error)
      ? error
      : new DocumentRejectedError('corrupt_file', 'The file is damaged and cannot be read.');
    reply = { id: request.id, ok: false, error: serializeDocumentError(known) };
  }
  port.postMessage(reply);
});
