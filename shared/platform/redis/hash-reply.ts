/**
 * An HGETALL reply as a record, or `null` for a missing hash. The platform's client
 * returns replies undecoded, a flat `[field, value, ...]` array; a client that decodes
 * them returns an object already. Both shapes are read, so a store works with either.
 */
export function hashReply(reply: unknown): Record<string, string> | null {
  if (reply === null || reply === undefined) return null;
  const fields: Record<string, string> = {};
  if (Array.isArray(reply)) {
    if (reply.length === 0) return null;
    for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = String(reply[i + 1]);
    return fields;
  }
  if (typeof reply === 'object') {
    for (const [field, value] of Object.entries(reply)) {
      fields[field] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    return Object.keys(fields).length > 0 ? fields : null;
  }
  return null;
}
