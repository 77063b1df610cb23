import type { z } from 'zod';
import type { PlatformMiddleware } from '../context.ts';
import { type FieldIssue, ValidationError } from '../errors.ts';
import { readRefusal } from '../refusal-issue.ts';

/**
 * Parses path parameters, query and body with the route's zod schemas; 400 lists every
 * issue, or the status and code of the first issue that names its own refusal.
 */
export function validateInput(): PlatformMiddleware {
  const validateInputBefore: PlatformMiddleware['before'] = (request) => {
    const { spec } = request.context.route;
    const { event } = request;
    const issues: FieldIssue[] = [];
    let refusal: ReturnType<typeof readRefusal>;
    const parse = (schema: z.ZodType | undefined, value: unknown, where: string) => {
      if (!schema) return undefined;
      const result = schema.safeParse(value);
      if (result.success) return result.data;
      for (const issue of result.error.issues) {
        issues.push({ path: [where, ...issue.path.map(String)].join('.'), message: issue.message });
        if (issue.code === 'custom') refusal ??= readRefusal(issue.params);
      }
      return undefined;
    };
    const input = {
      params: parse(spec.params, event.pathParameters ?? {}, 'params'),
      query: parse(spec.query, event.queryStringParameters ?? {}, 'query'),
      body: parse(spec.body, event.body, 'body'),
    };
    if (issues.length > 0) {
      throw new ValidationError(issues, refusal?.code, undefined, refusal?.statusCode);
    }
    request.context.input = input;
  };
  return { before: validateInputBefore };
}
