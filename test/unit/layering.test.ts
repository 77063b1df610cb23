import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAst } from 'rolldown/parseAst';
import { describe, expect, it } from 'vitest';

/**
 * The layering rules of `shared/` (README, Architecture): platform plumbing never imports
 * a domain module, and no module reaches itself through its imports. Type-only imports
 * count too: a type that has to come from a domain module means the plumbing depends on it.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SHARED = 'shared';
const PLATFORM = 'shared/platform/';
const ALIASES: Record<string, string> = {
  '#shared/': 'shared/',
  '#functions/': 'functions/',
  '#local/': 'local/',
  '#test/': 'test/',
};

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.m?ts$/.test(file))
    .map((file) => path.posix.join(folder, file.split(path.sep).join('/')))
    .sort();
}

/** What a file's import and export-from statements name, as written. */
function importSpecifiers(file: string): string[] {
  const program = parseAst(readFileSync(path.join(ROOT, file), 'utf8'), { lang: 'ts' });
  const specifiers: string[] = [];
  for (const statement of program.body) {
    if (
      (statement.type === 'ImportDeclaration' ||
        statement.type === 'ExportNamedDeclaration' ||
        statement.type === 'ExportAllDeclaration') &&
      statement.source
    ) {
      specifiers.push(String(statement.source.value));
    }
  }
  return specifiers;
}

/** Repository-relative targets of a file's imports; `node:` and npm packages are left out. */
function localImports(file: string): string[] {
  return importSpecifiers(file).flatMap((specifier) => {
    if (specifier.startsWith('.')) {
      return [path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))];
    }
    const alias = Object.keys(ALIASES).find((prefix) => specifier.startsWith(prefix));
    return alias ? [`${ALIASES[alias]}${specifier.slice(alias.length)}`] : [];
  });
}

const graph = new Map(sourceFiles(SHARED).map((file) => [file, localImports(file)]));

/** The modules each module imports: a module is a folder (`shared/platform/http`). */
function moduleOf(file: string): string {
  return path.posix.dirname(file).split('/').slice(0, 3).join('/');
}

const moduleGraph = new Map<string, string[]>();
for (const [file, targets] of graph) {
  const from = moduleOf(file);
  const edges = moduleGraph.get(from) ?? [];
  for (const target of targets) {
    const to = moduleOf(target);
    if (to !== from && target.startsWith(`${SHARED}/`) && !edges.includes(to)) edges.push(to);
  }
  moduleGraph.set(from, edges);
}

/** Every cycle found by a depth-first walk, as `a -> b -> a`. */
function cycles(graph: Map<string, string[]>): string[] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (state.get(target) === 'open') found.push([...stack.slice(stack.indexOf(target)), target]);
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found.map((cycle) => cycle.join(' -> '));
}

describe('layering of shared/', () => {
  it('finds the files it checks', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('shared/platform/handlers/api-stack.ts')?.length).toBeGreaterThan(0);
  });

  it('keeps platform plumbing free of domain imports', () => {
    const outside = [...graph].flatMap(([file, targets]) =>
      file.startsWith(PLATFORM)
        ? targets.filter((target) => !target.startsWith(PLATFORM)).map((t) => `${file} -> ${t}`)
        : [],
    );
    // package.json: the version the platform reports; repository metadata, not domain code.
    expect(outside.filter((edge) => !edge.endsWith(' -> package.json'))).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('has no import cycle between modules (folders)', () => {
    expect(cycles(moduleGraph)).toEqual([]);
  });
});

/**
 * The CLI talks to the platform over HTTP only: it imports its own files, Node.js
 * built-ins and commander (bundled into it), never server code from `shared/`,
 * `functions/` or `local/`, so its bundle stays small and starts fast.
 */
describe('layering of cli/', () => {
  const CLI_PACKAGES = ['commander'];
  const files = sourceFiles('cli');

  it('finds the files it checks', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('imports only cli/ files, Node.js built-ins and commander', () => {
    const outside = files.flatMap((file) =>
      importSpecifiers(file)
        .filter((specifier) => {
          if (specifier.startsWith('node:') || CLI_PACKAGES.includes(specifier)) return false;
          if (!specifier.startsWith('.')) return true;
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
          return !target.startsWith('cli/');
        })
        .map((specifier) => `${file} -> ${specifier}`),
    );
    expect(outside).toEqual([]);
  });
});
