import type { Nodes, Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

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
      return /^https?:\/\//.test(node.url) ? `<${node.url}|${text || node.url}>` : text;
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
