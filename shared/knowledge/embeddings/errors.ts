import { PlatformError } from '../../platform/errors/base.ts';

/**
 * The embeddings API answered, but not with what we asked for (wrong count or size of
 * vectors). A provider fault, so the detail stays in the log.
 */
export class EmbeddingResponseError extends PlatformError {
  readonly statusCode = 502;
  readonly code = 'embedding_response_invalid';
  override readonly expose = false;

  constructor(detail: string) {
    super(`The embeddings API returned an unusable response: ${detail}`);
    this.name = 'EmbeddingResponseError';
  }
}
