/**
 * Fails when a regular expression in the code base can backtrack super-linearly (ReDoS).
 * Every regex literal and every `RegExp` built from string literals in the folders below
 * is parsed out of the TypeScript source (oxc's parser, through rolldown) and checked by
 * recheck's pure-JavaScript backend, so the result does not depend on a JVM or a native
 * binary being present. A pattern that recheck cannot decide fails too: it has to be
 * rewritten until it can be shown safe.
 *
 * Usage: `npm run lint:regex`
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { check, type Diagnostics } from 'recheck';
import { parseAst } from 'rolldown/parseAst';

const ROOT = join(import.meta.dirname, '..');
const FOLDERS = ['shared', 'functions', 'local', 'infra', 'scripts', 'cli'];

/** Fixed so that a run is repeatable; the fuzzer is random otherwise. */
const RECHECK_PARAMS = { randomSeed: 42, timeout: 30_000 } as const;

interface FoundRegex {
  file: string;
  line: number;
  pattern: string;
  flags: string;
}

/** A `RegExp` whose pattern is computed at run time; it cannot be checked here. */
interface DynamicRegex {
  file: string;
  line: number;
}

type AstNode = { type: string; start: number; end: number } & Record<string, unknown>;

async function main(): Promise<void> {
  // Read by recheck on every call; `pure` keeps everything in this process.
  process.env.RECHECK_BACKEND = 'pure';
  const found: FoundRegex[] = [];
  const dynamic: DynamicRegex[] = [];
  for (const file of await sourceFiles()) {
    const source = await readFile(join(ROOT, file), 'utf8');
    collect(file, source, found, dynamic);
  }
  let failures = 0;
  for (const regex of found) {
    const verdict = await check(regex.pattern, regex.flags, RECHECK_PARAMS);
    if (verdict.status === 'safe') continue;
    failures += 1;
    console.error(
      `${regex.file}:${regex.line} /${regex.pattern}/${regex.flags} ${describe(verdict)}`,
    );
  }
  for (const regex of dynamic) {
    console.warn(`${regex.file}:${regex.line} RegExp with a computed pattern: not checked`);
  }
  console.log(`${found.length} regular expressions checked, ${failures} not linear.`);
  if (failures > 0) process.exitCode = 1;
}

async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const folder of FOLDERS) {
    const entries = await readdir(join(ROOT, folder), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
      files.push(relative(ROOT, join(entry.parentPath, entry.name)));
    }
  }
  return files.sort();
}

function collect(file: string, source: string, found: FoundRegex[], dynamic: DynamicRegex[]) {
  const program = parseAst(source, { lang: 'ts' }, file) as unknown as AstNode;
  const lineOf = lineFinder(source);
  walk(program, (node) => {
    const literal = node.regex as { pattern: string; flags: string } | undefined;
    if (node.type === 'Literal' && literal) {
      found.push({ file, line: lineOf(node.start), ...literal });
      return;
    }
    if (!isRegExpConstruction(node)) return;
    const [pattern, flags] = (node.arguments as AstNode[]).map(stringValue);
    const hasFlags = (node.arguments as AstNode[]).length > 1;
    if (pattern === undefined || (hasFlags && flags === undefined)) {
      dynamic.push({ file, line: lineOf(node.start) });
      return;
    }
    found.push({ file, line: lineOf(node.start), pattern, flags: flags ?? '' });
  });
}

/** `new RegExp(...)` or `RegExp(...)`, which builds one too. */
function isRegExpConstruction(node: AstNode): boolean {
  if (node.type !== 'NewExpression' && node.type !== 'CallExpression') return false;
  const callee = node.callee as AstNode;
  return callee.type === 'Identifier' && callee.name === 'RegExp';
}

/** The value of a string literal or a template literal without substitutions. */
function stringValue(node: AstNode | undefined): string | undefined {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && (node.expressions as AstNode[]).length === 0) {
    const [quasi] = node.quasis as { value: { cooked: string | null } }[];
    return quasi?.value.cooked ?? undefined;
  }
  return undefined;
}

function walk(node: unknown, visit: (node: AstNode) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  if (typeof (node as AstNode).type === 'string') visit(node as AstNode);
  for (const value of Object.values(node)) {
    if (value !== null && typeof value === 'object') walk(value, visit);
  }
}

/** Offsets to 1-based line numbers. */
function lineFinder(source: string): (offset: number) => number {
  const starts = [0];
  for (let index = source.indexOf('\n'); index >= 0; index = source.indexOf('\n', index + 1)) {
    starts.push(index + 1);
  }
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

/** Why a regex that is not `safe` failed. */
function describe(verdict: Exclude<Diagnostics, { status: 'safe' }>): string {
  if (verdict.status === 'vulnerable') {
    const { complexity, attack } = verdict;
    const kind =
      complexity.type === 'polynomial' ? `polynomial (degree ${complexity.degree})` : 'exponential';
    return `vulnerable: ${kind}, attack ${JSON.stringify(attack.pattern)}`;
  }
  const { error } = verdict;
  return `unknown: ${error.kind}${'message' in error ? ` (${error.message})` : ''}`;
}

await main();
