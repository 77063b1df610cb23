/**
 * The message without the bot's `<@U…>` mention, so the question reads as asked; its
 * other text, line breaks included, stays as written.
 */
export function withoutMention(text: string, botUserId: string): string {
  return text.replaceAll(`<@${botUserId}>`, '').trim();
}
