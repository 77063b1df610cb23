import mammoth from 'mammoth';
import type { DocumentLimits } from '../limits.ts';
import type { ExtractedDocument } from '../types.ts';
import { scanDocxArchive } from './docx-archive.ts';
import { extractHtml } from './html.ts';

/** Images are never read: the text does not need them and their bytes are untrusted. */
const noImages = mammoth.images.imgElement(async () => ({ src: '' }));

/**
 * Word documents: the archive is screened first (see `scanDocxArchive`), then mammoth
 * turns the document into semantic HTML (headings from the Heading 1-6 styles), which is
 * read like any HTML page. External files and links stay closed to mammoth.
 */
export async function extractDocx(
  bytes: Uint8Array,
  limits: DocumentLimits,
): Promise<ExtractedDocument> {
  const { properties } = await scanDocxArchive(bytes, limits.archive);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { value: html } = await mammoth.convertToHtml(
    { buffer },
    { externalFileAccess: false, convertImage: noImages },
  );
  const fromHtml = extractHtml(html, limits);
  return {
    ...fromHtml,
    type: 'docx',
    title: properties.title ?? fromHtml.title,
    author: properties.author,
    metadata: properties,
  };
}
