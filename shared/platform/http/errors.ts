import { PlatformError } from '../errors/base.ts';

export interface FieldIssue {
  /** Where the problem is, e.g. `body.scopes.0` or `query.limit`. */
  path: string;
  message: string;
}

/**
 * The request is malformed, or a field is over a cap its schema refuses with its own
 * status and code (e.g. 413 `metadata_too_large`); `issues` say which fields and why.
 */
export class ValidationError extends PlatformError {
  readonly statusCode: number;
  readonly code: string;
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[], code = 'invalid_request', message?: string, statusCode = 400) {
    super(
      message ??
        `Invalid request: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    );
    this.name = 'ValidationError';
    this.statusCode = statusCode;
    this.code = code;
    this.issues = issues;
  }
}

export class PayloadTooLargeError extends PlatformError {
  readonly statusCode = 413;
  readonly code = 'payload_too_large';

  constructor(limitBytes: number) {
    super(`The request body exceeds the ${limitBytes}-byte limit.`);
    this.name = 'PayloadTooLargeError';
  }
}

export class UnsupportedContentTypeError extends PlatformError {
  readonly statusCode = 415;
  readonly code = 'unsupported_media_type';

  constructor(expected: string) {
    super(`Send the body as ${expected} with a matching Content-Type header.`);
    this.name = 'UnsupportedContentTypeError';
  }
}

export class RouteNotFoundError extends PlatformError {
  readonly statusCode = 404;
  readonly code = 'not_found';

  constructor(path: string) {
    super(`No route for ${path}.`);
    this.name = 'RouteNotFoundError';
  }
}

export class MethodNotAllowedError extends PlatformError {
  readonly statusCode = 405;
  readonly code = 'method_not_allowed';
  override readonly headers: Record<string, string>;

  constructor(method: string, path: string, allowed: string[]) {
    super(`${method} is not allowed on ${path}.`);
    this.name = 'MethodNotAllowedError';
    this.headers = { allow: allowed.join(', ') };
  }
}
