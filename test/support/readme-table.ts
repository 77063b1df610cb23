import { readFileSync } from 'node:fs';

/**
 * The keys in the first column of the README table whose header row starts with
 * `| <header> |`, so tests can hold the documentation to the code.
 */
export function readmeTableKeys(header: string): string[] {
  const lines = readFileSync('README.md', 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${header} |`));
  if (start < 0) throw new Error(`README has no table headed "${header}"`);
  const keys: string[] = [];
  for (const line of lines.slice(start + 2)) {
    const key = /^\| `([^`]+)` \|/.exec(line)?.[1];
    if (!key) break;
    keys.push(key);
  }
  return keys;
}
