/**
 * The values of `fields` in an HMGET reply: the platform's client returns Redis's list in
 * field order; a client that decodes replies returns an object. Either is read.
 */
export function fieldValues(reply: unknown, fields: readonly string[]): (string | null)[] {
  if (Array.isArray(reply)) return fields.map((_, index) => stringOrNull(reply[index]));
  const record = (reply ?? {}) as Record<string, unknown>;
  return fields.map((field) => stringOrNull(record[field]));
}

function stringOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
