/**
 * Shell-style globs for paths the shell did not expand (quoted, or on Windows): `*` and
 * `?` within one path segment, `**` across any number of segments. Matching walks the
 * pattern segment by segment without regular expressions, so no pattern can make it slow.
 */
export function isGlob(value: string): boolean {
  return /[*?]/.test(value);
}

/** The folder a glob starts from: its segments before the first wildcard. */
export function globBase(pattern: string): { base: string; rest: string } {
  const segments = pattern.split('/');
  const first = segments.findIndex(isGlob);
  const base = segments.slice(0, first).join('/');
  return {
    base: base || (pattern.startsWith('/') ? '/' : '.'),
    rest: segments.slice(first).join('/'),
  };
}

/** Whether a `/`-separated relative path matches a pattern relative to the same folder. */
export function matchesGlob(pattern: string, path: string): boolean {
  return matchSegments(pattern.split('/'), path.split('/'));
}

function matchSegments(pattern: string[], path: string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return path.length === 0;
  if (head === '**') {
    for (let skip = 0; skip <= path.length; skip += 1) {
      if (matchSegments(rest, path.slice(skip))) return true;
    }
    return false;
  }
  const [segment, ...others] = path;
  return segment !== undefined && matchSegment(head, segment) && matchSegments(rest, others);
}

/** `*` and `?` in one segment: the classic greedy match with one backtrack point, O(n·m). */
function matchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p += 1;
      t += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      resume = t;
      p += 1;
    } else if (star !== -1) {
      p = star + 1;
      resume += 1;
      t = resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p += 1;
  return p === pattern.length;
}
