/**
 * `text` cut to at most `max` UTF-16 units with `…` at the end when it was longer, never
 * between the two halves of a surrogate pair (which would leave half an emoji).
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
