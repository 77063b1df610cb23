import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { entryOf, type FunctionDefinition } from '#functions/function-definition.ts';

const projectRoot = resolve(import.meta.dirname, '..');
const loaded = new Map<string, Promise<unknown>>();

/** A catalog function's `handler` export, imported once, as a Lambda container would. */
export function loadHandler<T>(fn: FunctionDefinition): Promise<T> {
  const entry = entryOf(fn);
  let handler = loaded.get(entry);
  if (!handler) {
    handler = import(pathToFileURL(join(projectRoot, entry)).href).then(
      (module: { handler: unknown }) => module.handler,
    );
    loaded.set(entry, handler);
  }
  return handler as Promise<T>;
}
