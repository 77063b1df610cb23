import { startLocalRedisStack } from '#local/local-stack.ts';
import { startOpenAiServer } from '#local/openai-server.ts';
import { DocumentExtractor, documentLimits } from '#shared/knowledge/documents/index.ts';
import { createEmbedder } from '#shared/knowledge/embeddings/index.ts';
import { KnowledgeIndex } from '#shared/knowledge/index/index.ts';
import { ingestDocument } from '#shared/knowledge/ingestion/index.ts';
import { parseConfig } from '#shared/platform/config/index.ts';
import { createRedisClient } from '#shared/platform/redis/index.ts';
import { ms } from '../lib/stats.ts';

/** One PDF ingested twice (new, then unchanged), counting model requests and round trips. */
export async function runEndToEnd(bytes: Uint8Array, pages: number): Promise<void> {
  const stack = await startLocalRedisStack();
  const openai = await startOpenAiServer();
  const config = parseConfig({ OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseUrl });
  const extractor = new DocumentExtractor({ limits: documentLimits(config.limits) });
  const dependencies = {
    extractor,
    index: new KnowledgeIndex(createRedisClient({ url: stack.url, token: stack.token })),
    embedder: createEmbedder(config),
    maxChunks: config.limits.documentMaxChunks,
  };
  const ref = { tenant: 'bench', namespace: 'kb' };
  const request = { input: { bytes, filename: 'report.pdf' }, source: 'bench/report.pdf' };
  const { batchMaxInputs, batchMaxTokens } = config.openai;
  try {
    console.log(
      `  end to end (ingestDocument; embedding batches of at most ${batchMaxInputs} inputs / ${batchMaxTokens.toLocaleString('en')} tokens):`,
    );
    for (const label of ['first ingest', 'same file again']) {
      openai.clearRequests();
      stack.gateway.resetRequestCount();
      const started = performance.now();
      const result = await ingestDocument(dependencies, ref, request);
      const elapsed = performance.now() - started;
      const requests = openai.requestsTo('/embeddings').length;
      const bound = Math.ceil(result.chunkCount / batchMaxInputs);
      console.log(
        `    ${label.padEnd(16)} ${result.status}: ${result.chunkCount} chunks in ${ms(elapsed)} (${Math.round((pages / elapsed) * 1000)} pages/s, ${Math.round((result.chunkCount / elapsed) * 1000)} chunks/s); embedding requests ${requests} (bound ceil(chunks / ${batchMaxInputs}) = ${bound}); Redis round trips ${stack.gateway.requestCount}`,
      );
    }
  } finally {
    await extractor.close();
    await openai.close();
    await stack.stop();
  }
}
