import type { ExtractedDocument } from '../types.ts';

/** Plain text has no structure to keep: its first line stands in for a title. */
export function extractPlainText(text: string): ExtractedDocument {
  const firstLine = text.trimStart().split('\n', 1)[0]?.trim() ?? '';
  return {
    type: 'text',
    title: firstLine.length > 0 && firstLine.length <= 200 ? firstLine : undefined,
    metadata: {},
    text,
    pages: [],
    sections: [],
  };
}
