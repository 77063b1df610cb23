import type { FunctionDefinition } from '#functions/function-definition.ts';

/** Baselines served beside the real catalog, by the same local API server. */
export const BARE_PATH = '/v1/bench/bare';
export const MIDDLEWARE_ONLY_PATH = '/v1/bench/middleware-only';

const common = {
  memoryMb: 1769,
  timeoutSeconds: 120,
  secretGroups: ['redis', 'admin'],
  reservedConcurrency: 1,
} satisfies Partial<FunctionDefinition>;

export const benchFunctions: FunctionDefinition[] = [
  {
    name: 'bench-bare',
    description: 'No middleware: the HTTP floor',
    trigger: {
      kind: 'routes',
      delivery: 'buffered',
      routes: [{ method: 'POST', path: BARE_PATH }],
    },
    entry: 'bench/chat/functions/bare.ts',
    ...common,
  },
  {
    name: 'bench-middleware-only',
    description: "The chat function's middleware and a route that does nothing else",
    trigger: {
      kind: 'routes',
      delivery: 'streamed',
      routes: [{ method: 'POST', path: MIDDLEWARE_ONLY_PATH }],
    },
    entry: 'bench/chat/functions/middleware-only.ts',
    ...common,
  },
];
