const REDACTED = '[REDACTED]';

/** Field names whose values are never logged, whatever they hold. */
const SECRET_FIELD =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-slack-signature|password|secret|token|key|api[-_]?key|.*(token|secret|password|apikey|api_key|signature))$/i;

/** Credential shapes redacted wherever they appear inside a logged string. */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\bBearer\s+[^\s"',]+/gi, `Bearer ${REDACTED}`],
  [/\bapk\.[a-z0-9-]+\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43}\b/g, `apk.${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{8,}/g, `sk-${REDACTED}`],
  [/\bxox[abprs]-[A-Za-z0-9-]{8,}/g, `xox-${REDACTED}`],
];

/**
 * Client errors that echo the request or response they carried, which can hold a
 * document's text: the echo is cut wherever such a message is logged (Redis errors are
 * also summarised where they are caught; this catches any that are not).
 */
const PAYLOAD_ECHOES: [RegExp, string][] = [
  [/, command was: [^\n]*/g, ', command was: [omitted]'],
  [/Unable to parse response body: [^\n]*/g, 'Unable to parse response body: [omitted]'],
];

const registeredSecrets = new Set<string>();

/**
 * Adds exact values (the configured secrets) that the logger must never print. Called
 * once when the configuration is loaded.
 */
export function registerSecretValues(values: Iterable<string | undefined>): void {
  for (const value of values) if (value && value.length >= 6) registeredSecrets.add(value);
}

/** Returns the string with every registered secret and credential shape replaced. */
export function redactText(text: string): string {
  let result = text;
  for (const secret of registeredSecrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of [...SECRET_PATTERNS, ...PAYLOAD_ECHOES])
    result = result.replace(pattern, replacement);
  return result;
}

/** A `JSON.stringify` replacer that redacts secret fields and secret-looking strings. */
export function redactingReplacer(key: string, value: unknown): unknown {
  if (key !== '' && SECRET_FIELD.test(key) && value !== undefined && value !== null)
    return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}
