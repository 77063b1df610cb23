/** `[3]`, `[1, 2]` or `[1,2,5]`: each group needs a comma, so the pattern is unambiguous. */
export const CITATION_MARK = /\[(\d{1,3}(?:\s{0,2},\s{0,2}\d{1,3}){0,9})\]/g;

/** Text without citation marks, so quoted text cannot cite on the quoter's behalf. */
export function withoutCitationMarks(text: string): string {
  return text.replace(CITATION_MARK, '');
}
