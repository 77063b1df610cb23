import type { Nodes, Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

/** A URL that can stand inside `<url|text>`. */
const SAFE_LINK = /^https?:\/\/[^\s<>|&]+$/;

const parser = unified().use(remarkParse);

/**
 * Markdown (what the model writes) as Slack mrkdwn, for messages posted with `text`
 * rather than streamed (a stream takes Markdown itself): `**bold**` → `*bold*`,
 * `*italic*` → `_italic_`, links → `<url|text>`, headings → bold lines, lists → `•`,
 * code kept, and `&`, `<`, `>` escaped so text cannot form mentions or links.
 * Parsed by remark, so the conversion is linear in the text.
 */
export function toMrkdwn(markdown: string): string {
  const tree = parser.parse(markdown) as Root;
  return blocks(tree.children, '\n\n').trim();
}

function blocks(nodes: Nodes[], separator: string): string {
  return nodes
    .map((node) => render(node))
    .filter((part) => part !== '')
    .join(separator);
}

function inline(nodes: Nodes[]): string {
  return nodes.map((node) => render(node)).join('');
}

function render(node: Nodes): string {
  switch (node.type) {
    case 'root':
      return blocks(node.children, '\n\n');
    case 'paragraph':
      return inline(node.children);
    case 'heading':
      return `*${inline(node.children)}*`;
    case 'text':
      return escapeMrkdwn(node.value);
    case 'strong':
      return `*${inline(node.children)}*`;
    case 'emphasis':
      return `_${inline(node.children)}_`;
    case 'inlineCode':
      return `\`${escapeMrkdwn(node.value)}\``;
    case 'code':
      return `\`\`\`\n${escapeMrkdwn(node.value)}\n\`\`\``;
    case 'link': {
      const text = inline(node.children);
      // Only a plain URL becomes a link: one holding `<`, `>`, `|` or `&` (decoded by the
      // Markdown parser from escapes) could close the link and open a mention of its own.
      return SAFE_LINK.test(node.url) ? `<${node.url}|${text || escapeMrkdwn(node.url)}>` : text;
    }
    case 'image':
      return escapeMrkdwn(node.alt ?? '');
    case 'list':
      return node.children
        .map((item, index) => {
          const bullet = node.ordered ? `${(node.start ?? 1) + index}.` : '•';
          return `${bullet} ${blocks(item.children, '\n').replaceAll('\n', '\n   ')}`;
        })
        .join('\n');
    case 'listItem':
      return blocks(node.children, '\n');
    case 'blockquote':
      return blocks(node.children, '\n')
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'thematicBreak':
      return '───';
    case 'break':
      return '\n';
    case 'html':
      return escapeMrkdwn(node.value);
    default:
      return 'children' in node ? inline(node.children as Nodes[]) : '';
  }
}

/** Escapes what Slack reads as markup in text: `&`, `<` (mentions, links) and `>`. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Markdown streamed to Slack with `<` made inert: a zero-width space after each one, so
 * `<!channel>`, `<@U…>` or `<#C…>` written by the model (or quoted from a document) is
 * shown, never acted on. Safe across pieces: it needs no look at what follows.
 */
export function defuseSlackSyntax(markdown: string): string {
  return markdown.replaceAll('<', '<\u200B');
}
