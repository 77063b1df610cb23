import { cpSync, statSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import type { DataFolder } from '../../functions/function-definition.ts';

/**
 * Checks a function's data folders before anything is bundled: each `from` is an existing
 * project folder, and each `to` a relative path inside the bundle that neither clashes
 * with a bundle file (`taken`, e.g. `index.mjs`) nor lies inside or around another copy.
 * Returns the first problem, or undefined.
 */
export function dataFolderProblem(
  projectRoot: string,
  folders: readonly DataFolder[],
  taken: ReadonlySet<string>,
): string | undefined {
  const targets: string[] = [];
  for (const { from, to } of folders) {
    if (isAbsolute(from) || !isDirectory(join(projectRoot, from))) {
      return `"${from}" is not a project-relative folder`;
    }
    const target = posix.normalize(to);
    const top = target.split('/')[0] ?? target;
    if (isAbsolute(to) || top === '..' || top === '.' || taken.has(top)) {
      return `"${to}" is not a free relative path inside the bundle`;
    }
    if (
      targets.some(
        (other) => `${target}/`.startsWith(`${other}/`) || `${other}/`.startsWith(`${target}/`),
      )
    ) {
      return `"${to}" overlaps another data folder`;
    }
    targets.push(target);
  }
  return undefined;
}

/** Copies one data folder, whole, to `to`; an existing file there is an error. */
export function copyDataFolder(from: string, to: string): void {
  cpSync(from, to, { recursive: true, force: false, errorOnExist: true });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
