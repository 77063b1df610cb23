import type { StreamedTurn } from '../http/chat-stream.ts';
import { formatCitationsCompact } from '../output/citations.ts';
import { styler } from '../output/style.ts';

/** What follows a streamed answer: whether it was stopped, and its citations, compactly. */
export function answerFooter(turn: StreamedTurn, stream: NodeJS.WriteStream): string {
  const style = styler(stream);
  const lines: string[] = [];
  if (turn.stopped) lines.push(style.yellow('[stopped]'));
  const citations = turn.done?.citations ?? [];
  if (citations.length > 0) lines.push(style.dim(formatCitationsCompact(citations)));
  return lines.join('\n');
}
