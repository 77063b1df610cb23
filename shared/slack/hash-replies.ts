/**
 * Hash replies as the Redis client gives them back. Without automatic deserialization it
 * hands over Redis's own shapes (HGETALL a flat `[field, value, …]` list, HMGET a list in
 * field order) in some paths and objects in others; these read either.
 */
export function hashEntries(reply: unknown): Record<string, string> {
  if (Array.isArray(reply)) {
    const entries: Record<string, string> = {};
    for (let index = 0; index + 1 < reply.length; index += 2) {
      entries[String(reply[index])] = String(reply[index + 1]);
    }
    return entries;
  }
  if (reply && typeof reply === 'object') {
    return Object.fromEntries(
      Object.entries(reply).map(([field, value]) => [field, String(value)]),
    );
  }
  return {};
}

/** The values of `fields` in an HMGET reply (a list in field order, or an object). */
export function fieldValues(reply: unknown, fields: readonly string[]): (string | null)[] {
  if (Array.isArray(reply)) return fields.map((_, index) => stringOrNull(reply[index]));
  const record = (reply ?? {}) as Record<string, unknown>;
  return fields.map((field) => stringOrNull(record[field]));
}

function stringOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
