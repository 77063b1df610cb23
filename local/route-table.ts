import { type FunctionDefinition, routesOf } from '#functions/function-definition.ts';
import type { HttpMethod } from '#shared/platform/http/route.ts';

export interface RouteMatch {
  fn: FunctionDefinition;
  resource: string;
  pathParameters: Record<string, string> | null;
}

export type RouteLookup =
  | { kind: 'match'; match: RouteMatch }
  | { kind: 'method-not-allowed'; allowed: HttpMethod[] }
  | { kind: 'not-found' };

interface CompiledRoute {
  fn: FunctionDefinition;
  method: HttpMethod;
  resource: string;
  pattern: RegExp;
  names: string[];
}

/** Matches request paths against the catalog's API Gateway resource paths. */
export function createRouteTable(catalog: FunctionDefinition[]) {
  const routes: CompiledRoute[] = catalog.flatMap((fn) =>
    routesOf(fn).map((route) => {
      const names: string[] = [];
      const source = route.path
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{([^{}]+)\}/g, (_, name: string) => {
          names.push(name);
          return '([^/]+)';
        });
      return {
        fn,
        method: route.method,
        resource: route.path,
        pattern: new RegExp(`^${source}$`),
        names,
      };
    }),
  );

  return function lookup(method: string, path: string): RouteLookup {
    const candidates = routes
      .map((route) => ({ route, match: route.pattern.exec(path) }))
      .filter((candidate) => candidate.match !== null);
    if (candidates.length === 0) return { kind: 'not-found' };
    // A CORS preflight goes to the first function serving the path, as in the deployed API.
    const hit =
      method.toUpperCase() === 'OPTIONS'
        ? candidates[0]
        : candidates.find((candidate) => candidate.route.method === method.toUpperCase());
    if (!hit?.match) {
      return {
        kind: 'method-not-allowed',
        allowed: candidates.map((candidate) => candidate.route.method),
      };
    }
    const params = Object.fromEntries(
      hit.route.names.map((name, index) => [name, decodePathSegment(hit.match?.[index + 1] ?? '')]),
    );
    return {
      kind: 'match',
      match: {
        fn: hit.route.fn,
        resource: hit.route.resource,
        pathParameters: hit.route.names.length > 0 ? params : null,
      },
    };
  };
}

/** Like API Gateway, a segment that is not valid percent-encoding is passed on as sent. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
