import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Metafile } from 'esbuild';

export interface BundledPackage {
  name: string;
  /** Bytes the package contributes to the minified bundle. */
  bytes: number;
  /** The project file whose import chain first reaches the package. */
  via: string;
}

export interface PackageReport {
  packages: BundledPackage[];
  /** Packages in the bundle that the function's code does not import, even transitively. */
  unexpected: string[];
}

const NODE_MODULES = 'node_modules/';

/** `node_modules/@scope/name/x.js` -> `@scope/name`; project files -> undefined. */
export function packageOf(inputPath: string): string | undefined {
  const at = inputPath.lastIndexOf(NODE_MODULES);
  if (at < 0) return undefined;
  const parts = inputPath.slice(at + NODE_MODULES.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/**
 * Lists the packages in one bundle and checks each one is imported by the function: it
 * must be reached through the import graph from the handler, and be a runtime dependency
 * the project declares or one of theirs as package-lock.json resolves it. A dev tool, a
 * package only some other function uses, or an undeclared (phantom) package fails.
 */
export function inspectPackages(
  metafile: Metafile,
  outfile: string,
  entry: string,
  projectRoot: string,
): PackageReport {
  const output = Object.entries(metafile.outputs).find(
    ([path]) => resolve(projectRoot, path) === outfile,
  )?.[1];
  if (!output) throw new Error(`no metafile output for ${outfile}`);

  const bytes = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(path);
    if (name && bytesInOutput > 0) bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
  }

  const { via, reachable } = walkImports(metafile, entry, projectRoot);
  const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  // Roots: runtime dependencies the project declares and the function's import graph
  // reaches (directly, or through a package that expects the project to provide it, a
  // peer dependency). Then what those depend on.
  const roots = [...reachable].filter((name) => manifest.dependencies?.[name]);
  const allowed = dependencyClosure(projectRoot, roots);

  return {
    packages: [...bytes]
      .map(([name, size]) => ({ name, bytes: size, via: via.get(name) ?? '?' }))
      .sort((a, b) => b.bytes - a.bytes),
    unexpected: [...bytes.keys()]
      .filter((name) => !allowed.has(name) || !reachable.has(name))
      .sort(),
  };
}

/**
 * Walks the import graph from the entry, breadth first: the packages it reaches, and for
 * each the project file whose import chain first leads into it.
 */
function walkImports(
  metafile: Metafile,
  entry: string,
  projectRoot: string,
): { via: Map<string, string>; reachable: Set<string> } {
  const via = new Map<string, string>();
  const entryKey =
    Object.keys(metafile.inputs).find((path) => resolve(projectRoot, path) === entry) ?? entry;
  const queue: { path: string; projectFile: string }[] = [
    { path: entryKey, projectFile: entryKey },
  ];
  const seen = new Set([entryKey]);
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { path, projectFile } = next;
    const from = packageOf(path) ? projectFile : path;
    for (const imported of metafile.inputs[path]?.imports ?? []) {
      if (imported.external || seen.has(imported.path)) continue;
      seen.add(imported.path);
      const name = packageOf(imported.path);
      if (name && !via.has(name)) via.set(name, from);
      queue.push({ path: imported.path, projectFile: from });
    }
  }
  return { via, reachable: new Set(via.keys()) };
}

interface LockPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Names of `roots` and everything they depend on at runtime, resolved like Node does. */
function dependencyClosure(projectRoot: string, roots: string[]): Set<string> {
  const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockPackage>;
  };
  const resolveFrom = (fromPath: string, name: string): string | undefined => {
    let base = fromPath;
    for (;;) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (lock.packages[candidate]) return candidate;
      if (!base) return undefined;
      const cut = base.lastIndexOf('/node_modules/');
      base = cut < 0 ? '' : base.slice(0, cut);
    }
  };
  const names = new Set<string>();
  const visited = new Set<string>();
  const stack = roots.map((name) => resolveFrom('', name)).filter((path) => path !== undefined);
  while (stack.length > 0) {
    const path = stack.pop() as string;
    if (visited.has(path)) continue;
    visited.add(path);
    names.add(packageOf(`${path}/`) ?? path);
    const pkg = lock.packages[path] ?? {};
    for (const name of Object.keys({
      ...pkg.dependencies,
      ...pkg.optionalDependencies,
      ...pkg.peerDependencies,
    })) {
      const resolved = resolveFrom(path, name);
      if (resolved) stack.push(resolved);
    }
  }
  return names;
}
