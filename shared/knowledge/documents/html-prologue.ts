/**
 * Whether text opens like a whole HTML document: whitespace and comments, an optional XML
 * declaration, then `<!doctype html` or an `<html>` tag (case-insensitive).
 *
 * A scanner instead of one regular expression: skipping comments with a pattern such as
 * `(?:\s|<!--[\s\S]*?-->)*` backtracks exponentially on a run of empty comments that is
 * not followed by a tag. Here every character is looked at a bounded number of times. A
 * comment ends at its first `-->`, as in HTML.
 *
 * @example
 * startsLikeHtmlDocument('<!-- generated -->\n<!DOCTYPE html><html>') // true
 * startsLikeHtmlDocument('<p>fragment</p>') // false
 */
export function startsLikeHtmlDocument(text: string): boolean {
  let at = skipWhitespaceAndComments(text, 0);
  if (at < 0) return false;
  if (startsWithIgnoringCase(text, '<?xml', at)) {
    const close = text.indexOf('>', at);
    if (close < 0) return false;
    at = skipWhitespace(text, close + 1);
  }
  if (startsWithIgnoringCase(text, '<!doctype', at)) {
    const afterSpace = skipWhitespace(text, at + '<!doctype'.length);
    return afterSpace > at + '<!doctype'.length && startsWithIgnoringCase(text, 'html', afterSpace);
  }
  if (startsWithIgnoringCase(text, '<html', at)) {
    const next = text.charAt(at + '<html'.length);
    return next === '>' || isWhitespace(next);
  }
  return false;
}

/** The offset after leading whitespace and complete comments; -1 inside an unclosed one. */
function skipWhitespaceAndComments(text: string, from: number): number {
  let at = skipWhitespace(text, from);
  while (text.startsWith('<!--', at)) {
    const close = text.indexOf('-->', at + '<!--'.length);
    if (close < 0) return -1;
    at = skipWhitespace(text, close + '-->'.length);
  }
  return at;
}

function skipWhitespace(text: string, from: number): number {
  let at = from;
  while (at < text.length && isWhitespace(text.charAt(at))) at += 1;
  return at;
}

/** What `\s` matches in a regular expression (Unicode spaces and line ends, the BOM). */
function isWhitespace(character: string): boolean {
  return character !== '' && /\s/.test(character);
}

function startsWithIgnoringCase(text: string, prefix: string, at: number): boolean {
  return text.slice(at, at + prefix.length).toLowerCase() === prefix;
}
