import type { Heading, Nodes, Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { parse as parseYaml } from 'yaml';
import type { ExtractedDocument } from '../types.ts';
import { flattenMetadata } from './flatten-metadata.ts';
import { HeadingTrail } from './heading-trail.ts';

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

/**
 * Markdown keeps its source as the extracted text (front matter removed), so a chunk
 * quotes the file as written; top-level headings give each section its heading path and
 * YAML front matter becomes flat string metadata.
 *
 * @param source already decoded and normalised (see `normalizeText`)
 */
export function extractMarkdown(source: string): ExtractedDocument {
  const tree = parser.parse(source) as Root;
  const [first] = tree.children;
  const frontMatter = first?.type === 'yaml' ? first : undefined;
  const bodyStart = frontMatter ? skipNewlines(source, frontMatter.position?.end.offset ?? 0) : 0;
  const text = source.slice(bodyStart);
  const metadata = frontMatter ? frontMatterMetadata(frontMatter.value) : {};

  const trail = new HeadingTrail(text.length);
  let firstTitle: string | undefined;
  for (const node of tree.children) {
    if (node.type !== 'heading' || node.position?.start.offset === undefined) continue;
    const heading = headingText(node);
    if (heading === '') continue;
    if (node.depth === 1) firstTitle ??= heading;
    trail.enter(node.depth, heading, node.position.start.offset - bodyStart);
  }
  return {
    type: 'markdown',
    title: metadata.title ?? firstTitle,
    author: metadata.author,
    metadata,
    text,
    pages: [],
    sections: trail.sections(),
  };
}

function skipNewlines(text: string, from: number): number {
  let index = from;
  while (text[index] === '\n') index += 1;
  return index;
}

/** Unreadable front matter is dropped rather than refusing the whole document. */
function frontMatterMetadata(yaml: string): Record<string, string> {
  try {
    return flattenMetadata(parseYaml(yaml, { maxAliasCount: 50 }));
  } catch {
    return {};
  }
}

function headingText(heading: Heading): string {
  const parts: string[] = [];
  const pending: Nodes[] = [...heading.children].reverse();
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if ('value' in node && (node.type === 'text' || node.type === 'inlineCode')) {
      parts.push(node.value);
    } else if ('children' in node) {
      pending.push(...[...node.children].reverse());
    }
  }
  return parts.join('').replace(/\s+/g, ' ').trim();
}
