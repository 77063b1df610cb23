/**
 * Cuts a text into parts of at most `limit` characters, at the last paragraph break,
 * else line break, else space within the limit, so a long answer becomes several
 * messages that each read whole. A part is cut mid-word only if it has no space at all.
 */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const cut = [
      window.lastIndexOf('\n\n'),
      window.lastIndexOf('\n'),
      window.lastIndexOf(' '),
    ].find((index) => index > limit / 2);
    const end = cut ?? limit;
    parts.push(rest.slice(0, end).trimEnd());
    rest = rest.slice(end).trimStart();
  }
  if (rest !== '') parts.push(rest);
  return parts;
}
