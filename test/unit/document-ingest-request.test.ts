import { describe, expect, test } from 'vitest';
import {
  createIngestRequestSchema,
  ingestRequestSchema,
  toUploadedDocument,
} from '#shared/knowledge/documents/ingest-request.ts';

function issuePaths(body: unknown, schema = ingestRequestSchema): string[] {
  const result = schema.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('ingest request schema', () => {
  test('accepts text, and fills chunking defaults (characters)', () => {
    // Act
    const parsed = ingestRequestSchema.parse({
      text: '# Hello',
      contentType: 'text/markdown',
      source: 'wiki/hello.md',
      metadata: { team: 'ops' },
      chunking: { strategy: 'semantic' },
    });

    // Assess
    expect(parsed.chunking).toEqual({ strategy: 'semantic', size: 1200, overlap: 200 });
    expect(toUploadedDocument(parsed)).toEqual({
      bytes: new TextEncoder().encode('# Hello'),
      contentType: 'text/markdown; charset=utf-8',
      filename: undefined,
    });
  });

  test('allows an overlap of up to half the size, and holds the default to it', () => {
    const chunking = (value: unknown) =>
      ingestRequestSchema.parse({ text: 'a', chunking: value }).chunking;
    expect(chunking({ size: 300, overlap: 150 })).toMatchObject({ size: 300, overlap: 150 });
    expect(chunking({ size: 300 })).toMatchObject({ size: 300, overlap: 150 });
    expect(chunking({ size: 101 })).toMatchObject({ size: 101, overlap: 50 });
    expect(chunking({ size: 4001, overlap: 0 })).toMatchObject({ size: 4001, overlap: 0 });
  });

  test('accepts a base64 file with its name and decodes it', () => {
    // Act
    const parsed = ingestRequestSchema.parse({
      contentBase64: Buffer.from('%PDF-1.7').toString('base64'),
      filename: 'a.pdf',
    });

    // Assess
    expect(Buffer.from(toUploadedDocument(parsed).bytes).toString()).toBe('%PDF-1.7');
  });

  test('names the field that is wrong', () => {
    expect(issuePaths({})).toEqual(['text']);
    expect(issuePaths({ text: 'a', contentBase64: 'YQ==' })).toEqual(['contentBase64']);
    expect(issuePaths({ contentBase64: 'YQ==' })).toEqual(['filename']);
    expect(issuePaths({ contentBase64: 'not base64!', filename: 'a.txt' })).toEqual([
      'contentBase64',
    ]);
    expect(issuePaths({ text: 'a', contentType: 'application/pdf' })).toEqual(['contentType']);
    expect(issuePaths({ text: 'a', chunking: { size: 300, overlap: 300 } })).toEqual([
      'chunking.overlap',
    ]);
    expect(issuePaths({ text: 'a', chunking: { size: 300, overlap: 151 } })).toEqual([
      'chunking.overlap',
    ]);
    expect(issuePaths({ text: 'a', chunking: { strategy: 'magic' } })).toEqual([
      'chunking.strategy',
    ]);
    expect(issuePaths({ text: 'a', metadata: { 'bad key': 'x' } })).toEqual(['metadata.bad key']);
    expect(issuePaths({ text: 'a', unknown: 1 })).toEqual(['']);
  });

  test('caps the content at the configured document size', () => {
    // Prepare
    const schema = createIngestRequestSchema({ maxBytes: 6 });

    // Act / Assess
    expect(issuePaths({ text: 'x'.repeat(7) }, schema)).toEqual(['text']);
    expect(
      issuePaths({ contentBase64: Buffer.alloc(9).toString('base64'), filename: 'a.txt' }, schema),
    ).toEqual(['contentBase64']);
    expect(
      issuePaths({ contentBase64: Buffer.alloc(6).toString('base64'), filename: 'a.txt' }, schema),
    ).toEqual([]);
  });
});
