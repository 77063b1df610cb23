/**
 * The values of `fields` in an HMGET reply, in field order, `null` where a field is not
 * set. The platform's client returns Redis's list undecoded; a client that decodes
 * replies returns an object by field with JSON values parsed, which are written back as
 * JSON (as {@link hashReply} does), so a store reads the same text from either.
 */
export function hmgetReply(reply: unknown, fields: readonly string[]): (string | null)[] {
  if (Array.isArray(reply)) return fields.map((_, index) => textOrNull(reply[index]));
  const record = (reply ?? {}) as Record<string, unknown>;
  return fields.map((field) => textOrNull(record[field]));
}

function textOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
