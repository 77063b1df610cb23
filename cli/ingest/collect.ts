import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.ts';
import { unsupportedReason } from './file-types.ts';
import { globBase, isGlob, matchesGlob } from './glob.ts';

/** A file to ingest: where it is, and the `source` it gets (its path in its folder). */
export interface FoundFile {
  path: string;
  source: string;
  bytes: number;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface Collected {
  files: FoundFile[];
  skipped: SkippedFile[];
}

/**
 * Expands files, folders (recursively; hidden entries and `node_modules` left out) and
 * globs. A file's source is its path relative to the folder named (or the glob's fixed
 * part), with `/` separators, so the same folder ingested again replaces its documents.
 */
export async function collectFiles(args: string[]): Promise<Collected> {
  const found = new Map<string, FoundFile>();
  const skipped: SkippedFile[] = [];
  const add = (path: string, base: string, bytes: number) => {
    const absolute = resolve(path);
    if (found.has(absolute) || skipped.some((entry) => resolve(entry.path) === absolute)) return;
    const reason = unsupportedReason(path);
    if (reason) skipped.push({ path, reason });
    else found.set(absolute, { path, source: toSource(relative(base, path)), bytes });
  };

  for (const arg of args) {
    const info = await stat(arg).catch(() => undefined);
    if (info?.isDirectory()) {
      for (const file of await walk(arg)) add(file.path, arg, file.bytes);
    } else if (info?.isFile()) {
      add(arg, dirname(arg), info.size);
    } else if (isGlob(arg)) {
      const { base, rest } = globBase(arg.split(sep).join('/'));
      const files = await walk(base).catch(() => []);
      const matches = files.filter((file) =>
        matchesGlob(rest, toSource(relative(base, file.path))),
      );
      if (matches.length === 0) throw new UsageError(`No files match ${arg}.`, 'no_match');
      for (const file of matches) add(file.path, base, file.bytes);
    } else {
      throw new UsageError(`No such file or folder: ${arg}`, 'not_found');
    }
  }
  // Two files under one source would replace each other's document, silently.
  const bySource = new Map<string, string>();
  for (const file of found.values()) {
    const other = bySource.get(file.source);
    if (other !== undefined) {
      throw new UsageError(
        `${other} and ${file.path} would both be stored as "${file.source}"; ingest them in separate runs or from their common parent folder.`,
        'duplicate_source',
      );
    }
    bySource.set(file.source, file.path);
  }
  return { files: [...found.values()], skipped };
}

async function walk(folder: string): Promise<{ path: string; bytes: number }[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: { path: string; bytes: number }[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile()) {
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile()) files.push({ path, bytes: info.size });
    }
    // Symbolic links are not followed: a link in a folder can point anywhere (a key in
    // ~/.ssh, say), and what is ingested is searchable by the whole tenant.
  }
  return files;
}

function toSource(path: string): string {
  return path.split(sep).join('/') || basename(path);
}
