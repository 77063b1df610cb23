import { Parser } from 'htmlparser2';
import { DocumentRejectedError } from '../errors.ts';
import type { DocumentLimits } from '../limits.ts';
import { normalizeText } from '../text-decoding.ts';
import type { ExtractedDocument } from '../types.ts';
import { HeadingTrail } from './heading-trail.ts';
import { TextBuilder } from './text-builder.ts';

/** Elements whose content is never rendered as text. */
const INVISIBLE = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'canvas',
  'audio',
  'video',
]);
const PARAGRAPH = new Set([
  'p',
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'nav',
  'aside',
  'ul',
  'ol',
  'dl',
  'table',
  'blockquote',
  'pre',
  'figure',
  'figcaption',
  'address',
  'form',
  'fieldset',
  'hr',
  'details',
  'summary',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);
const LINE = new Set(['li', 'dt', 'dd', 'tr', 'br', 'caption']);
const CELL = new Set(['td', 'th']);
const HIDDEN_STYLE =
  /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)/i;
const META_FIELDS = new Set(['author', 'description', 'keywords']);

interface OpenElement {
  name: string;
  skipped: boolean;
}

/**
 * Visible text of an HTML page: scripts, styles, templates and hidden elements (`hidden`,
 * `aria-hidden="true"`, inline `display:none` / `visibility:hidden`) are dropped; the
 * `<title>` becomes the title, never body text; `h1`-`h6` give sections their heading
 * paths. Parsing is streaming (htmlparser2), and nesting deeper than
 * `limits.maxNestingDepth` is refused.
 */
export function extractHtml(
  html: string,
  limits: Pick<DocumentLimits, 'maxCharacters' | 'maxNestingDepth'>,
): ExtractedDocument {
  const builder = new TextBuilder(limits.maxCharacters);
  const trail = new HeadingTrail(Number.POSITIVE_INFINITY);
  const open: OpenElement[] = [];
  const metadata: Record<string, string> = {};
  let skippedDepth = 0;
  let titleParts: string[] | undefined;
  let title: string | undefined;
  let firstH1: string | undefined;
  let heading: { level: number; start: number | undefined; parts: string[] } | undefined;
  let preDepth = 0;

  const finishHeading = () => {
    if (!heading) return;
    const text = normalizeText(heading.parts.join('')).replace(/\s+/g, ' ').trim();
    if (text !== '' && heading.start !== undefined) {
      trail.enter(heading.level, text, heading.start);
      if (heading.level === 1) firstH1 ??= text;
    }
    heading = undefined;
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (open.length >= limits.maxNestingDepth) {
          throw new DocumentRejectedError(
            'nesting_too_deep',
            `The document nests elements more than ${limits.maxNestingDepth} levels deep.`,
          );
        }
        const skipped = skippedDepth > 0 || INVISIBLE.has(name) || isHidden(attributes);
        open.push({ name, skipped });
        if (skipped) {
          skippedDepth += 1;
          return;
        }
        if (name === 'title' && title === undefined) titleParts = [];
        if (name === 'meta') readMeta(attributes, metadata);
        if (name === 'pre') preDepth += 1;
        const level = headingLevel(name);
        if (level !== undefined) {
          finishHeading();
          heading = { level, start: undefined, parts: [] };
        }
        if (PARAGRAPH.has(name)) builder.requestBreak(2);
        else if (LINE.has(name)) builder.requestBreak(1);
        else if (CELL.has(name)) builder.requestSpace();
      },
      ontext(data) {
        if (skippedDepth > 0) return;
        if (titleParts) {
          titleParts.push(data);
          return;
        }
        const start = preDepth > 0 ? builder.appendPreformatted(data) : builder.appendFlowing(data);
        if (heading) {
          heading.parts.push(data);
          heading.start ??= start;
        }
      },
      onclosetag(name) {
        const element = open.pop();
        if (element?.skipped) {
          skippedDepth -= 1;
          return;
        }
        if (name === 'title' && titleParts) {
          title = normalizeText(titleParts.join('')).replace(/\s+/g, ' ').trim() || undefined;
          titleParts = undefined;
        }
        if (name === 'pre') preDepth -= 1;
        if (headingLevel(name) !== undefined) finishHeading();
        if (PARAGRAPH.has(name)) builder.requestBreak(2);
        else if (LINE.has(name)) builder.requestBreak(1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  finishHeading();

  const text = builder.toString();
  return {
    type: 'html',
    title: title ?? firstH1,
    author: metadata.author,
    metadata,
    text,
    pages: [],
    sections: trail
      .sections()
      .map((section) => ({ ...section, end: Math.min(section.end, text.length) })),
  };
}

function isHidden(attributes: Record<string, string>): boolean {
  return (
    attributes.hidden !== undefined ||
    attributes['aria-hidden']?.toLowerCase() === 'true' ||
    (attributes.style !== undefined && HIDDEN_STYLE.test(attributes.style))
  );
}

function headingLevel(name: string): number | undefined {
  const match = /^h([1-6])$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

function readMeta(attributes: Record<string, string>, metadata: Record<string, string>): void {
  const name = attributes.name?.toLowerCase();
  const content = attributes.content?.replace(/\s+/g, ' ').trim();
  if (name && META_FIELDS.has(name) && content) metadata[name] = content.slice(0, 2_000);
}
