import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { PlatformMiddleware } from '../context.ts';
import { PayloadTooLargeError, UnsupportedContentTypeError, ValidationError } from '../errors.ts';
import { bodyLimitOf } from '../route.ts';

/**
 * For routes that take a body: enforces the size cap (413), then lets middy's JSON body
 * parser check the content type (415) and parse, turning its malformed-JSON error into a
 * 400 that says so. Routes without a body ignore whatever was sent.
 */
export function jsonBody(): PlatformMiddleware {
  const parser = httpJsonBodyParser({ reviver: refuseReservedKeys });
  const jsonBodyBefore: PlatformMiddleware['before'] = async (request) => {
    const { route, config } = request.context;
    if (!route.spec.body) return;
    const raw = request.event.body ?? '';
    const size = request.event.isBase64Encoded
      ? Math.floor((raw.length * 3) / 4)
      : Buffer.byteLength(raw);
    const limit = bodyLimitOf(route.spec, config.limits);
    if (size > limit) throw new PayloadTooLargeError(limit);
    if (raw.length === 0) {
      throw new ValidationError(
        [{ path: 'body', message: 'a JSON body is required' }],
        'missing_body',
      );
    }
    // Media types are case-insensitive; middy's parser compares in lower case.
    const contentType = request.event.headers?.['content-type'];
    if (contentType) request.event.headers['content-type'] = contentType.toLowerCase();
    try {
      await parser.before?.(request as never);
    } catch (error) {
      if ((error as Error).message === 'Unsupported Media Type') {
        throw new UnsupportedContentTypeError('application/json');
      }
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      if (cause === RESERVED_KEY_MESSAGE) {
        throw new ValidationError([{ path: 'body', message: RESERVED_KEY_MESSAGE }]);
      }
      throw new ValidationError(
        [{ path: 'body', message: 'is not valid JSON' }],
        'invalid_json',
        'The request body is not valid JSON.',
      );
    }
  };
  return { before: jsonBodyBefore };
}

const RESERVED_KEY_MESSAGE = 'the key "__proto__" is not allowed anywhere in the body';

/**
 * zod drops a `__proto__` key without a word, so a filter or metadata map holding one
 * would be quietly narrowed; the parser refuses it instead.
 */
function refuseReservedKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new Error(RESERVED_KEY_MESSAGE);
  return value;
}
