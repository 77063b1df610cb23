/**
 * A schema issue that stands for a refusal with its own status and code instead of the
 * generic 400 `invalid_request`, e.g. 413 `metadata_too_large`: a caller can tell "too
 * big" from "malformed" while the rule still lives in the route's schema (and so in the
 * OpenAPI description). Put it in a custom issue's `params`; the validation middleware
 * reads it.
 */
export interface RefusalIssue {
  refusal: { statusCode: number; code: string };
}

export function refusalIssue(statusCode: number, code: string): RefusalIssue {
  return { refusal: { statusCode, code } };
}

/** The refusal a custom issue's `params` carry, if any. */
export function readRefusal(params: unknown): RefusalIssue['refusal'] | undefined {
  const refusal = (params as Partial<RefusalIssue> | undefined)?.refusal;
  return typeof refusal?.statusCode === 'number' && typeof refusal.code === 'string'
    ? refusal
    : undefined;
}
