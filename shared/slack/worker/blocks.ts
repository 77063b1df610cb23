import type { ChatTurnResult } from '../../chat/turn/result.ts';
import { cutText } from '../../platform/validation/cut-text.ts';
import { FEEDBACK_ACTIONS } from '../feedback/feedback-store.ts';
import { escapeMrkdwn } from './mrkdwn.ts';
import type { SlackBlock } from './slack-api.ts';

type Citation = ChatTurnResult['citations'][number];

/** What a citation shows: the fields of the chat turn's citations the context block uses. */
export type CitedSource = Pick<Citation, 'n' | 'title' | 'source' | 'pageRange'>;

/** Slack refuses a context block with more than 10 elements or a text over 3000 characters. */
const MAX_CONTEXT_ELEMENTS = 10;
const MAX_TEXT_CHARACTERS = 3000;
const MAX_TITLE_CHARACTERS = 80;

/** Slack's limit on one section's text; answers posted whole are split to fit. */
export const MAX_SECTION_CHARACTERS = 3000;

/**
 * The blocks under an answer: its sources as one compact context block (`[1] Title, p. 3`,
 * linked when the source is a URL) and the 👍/👎 buttons whose presses come back as
 * `block_actions`.
 */
export function answerFooter(citations: CitedSource[]): SlackBlock[] {
  const footer: SlackBlock[] = [];
  if (citations.length > 0) {
    const elements = citations.slice(0, MAX_CONTEXT_ELEMENTS).map((citation) => ({
      type: 'mrkdwn' as const,
      text: citationText(citation).slice(0, MAX_TEXT_CHARACTERS),
    }));
    footer.push({ type: 'context', elements });
  }
  footer.push({
    type: 'actions',
    block_id: 'answer_feedback',
    elements: [
      {
        type: 'button',
        action_id: FEEDBACK_ACTIONS.up,
        text: { type: 'plain_text', text: '👍', emoji: true },
        value: 'up',
        accessibility_label: 'This answer helped',
      },
      {
        type: 'button',
        action_id: FEEDBACK_ACTIONS.down,
        text: { type: 'plain_text', text: '👎', emoji: true },
        value: 'down',
        accessibility_label: 'This answer did not help',
      },
    ],
  });
  return footer;
}

/** An answer posted whole: its mrkdwn as section blocks, then `footer` (maybe none). */
export function answerBlocks(mrkdwnParts: string[], footer: SlackBlock[]): SlackBlock[] {
  return [
    ...mrkdwnParts.map((text): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } })),
    ...footer,
  ];
}

function citationText(citation: CitedSource): string {
  const title = escapeMrkdwn(cutText(citation.title || citation.source, MAX_TITLE_CHARACTERS));
  const named = /^https?:\/\/[^\s|<>]+$/.test(citation.source)
    ? `<${citation.source}|${title}>`
    : title;
  const pages = citation.pageRange
    ? citation.pageRange.from === citation.pageRange.to
      ? `, p. ${citation.pageRange.from}`
      : `, pp. ${citation.pageRange.from}–${citation.pageRange.to}`
    : '';
  return `[${citation.n}] ${named}${pages}`;
}
