import { describe, expect, it } from 'vitest';
import { ingestRequestSchema } from '#shared/knowledge/documents/ingest-request.ts';
import {
  fitMetadata,
  METADATA_MAX_BYTES,
  metadataBytes,
} from '#shared/platform/validation/metadata-size.ts';

describe('metadata size', () => {
  it('counts UTF-8 bytes of keys and values', () => {
    expect(metadataBytes({ ab: 'é€😀' })).toBe(2 + 2 + 3 + 4);
  });

  it('keeps whole entries while they fit and never cuts a character in two', () => {
    const kept = fitMetadata(
      [
        ['a', 'x'.repeat(5)],
        ['b', '😀😀😀'],
        ['c', 'never'],
      ],
      6 + 1 + 9,
    );
    expect(kept).toEqual([
      ['a', 'xxxxx'],
      ['b', '😀😀'],
    ]);
  });

  it('marks metadata over the cap as a 413 metadata_too_large refusal in the schema', () => {
    const result = ingestRequestSchema.safeParse({
      text: 'x',
      metadata: Object.fromEntries(
        Array.from({ length: 5 }, (_, index) => [`k${index}`, 'v'.repeat(2_000)]),
      ),
    });
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((candidate) => candidate.code === 'custom');
    expect(issue?.message).toContain(String(METADATA_MAX_BYTES));
    expect(issue && 'params' in issue ? issue.params : undefined).toEqual({
      refusal: { statusCode: 413, code: 'metadata_too_large' },
    });
  });
});
