const MAX_KEYS = 64;
const MAX_KEY_LENGTH = 100;
const MAX_VALUE_LENGTH = 2_000;

/**
 * Turns parsed front matter into a flat string map: nested keys joined with dots, lists
 * of scalars joined with commas; objects inside lists are skipped. Bounded in keys and
 * lengths because the input is untrusted.
 *
 * @example
 * flattenMetadata({ title: 'Guide', tags: ['a', 'b'], owner: { team: 'ops' } })
 * // { title: 'Guide', tags: 'a, b', 'owner.team': 'ops' }
 */
export function flattenMetadata(value: unknown): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (!isRecord(value)) return metadata;
  const pending: [string, unknown][] = Object.entries(value).reverse();
  for (let entry = pending.pop(); entry !== undefined; entry = pending.pop()) {
    if (Object.keys(metadata).length >= MAX_KEYS) break;
    const [key, item] = entry;
    if (key.length > MAX_KEY_LENGTH) continue;
    if (isRecord(item)) {
      pending.push(
        ...Object.entries(item)
          .map(([child, nested]): [string, unknown] => [`${key}.${child}`, nested])
          .reverse(),
      );
      continue;
    }
    const text = Array.isArray(item)
      ? item.filter(isScalar).map(String).join(', ')
      : isScalar(item)
        ? String(item)
        : undefined;
    if (text !== undefined && text !== '') metadata[key] = text.slice(0, MAX_VALUE_LENGTH);
  }
  return metadata;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
