import { extname } from 'node:path';

/** File extensions the platform ingests (it sniffs the bytes too, and refuses a mismatch). */
const SUPPORTED = new Set(['.pdf', '.docx', '.md', '.markdown', '.html', '.htm', '.txt', '.text']);

/** `undefined` when supported, else why the file is skipped. */
export function unsupportedReason(path: string): string | undefined {
  const extension = extname(path).toLowerCase();
  if (SUPPORTED.has(extension)) return undefined;
  return extension ? `unsupported type (${extension})` : 'unsupported type (no extension)';
}
