import type { Readable } from 'node:stream';
import { Parser } from 'htmlparser2';
import yauzl from 'yauzl';
import { DocumentRejectedError, UnsupportedMediaTypeError } from '../errors.ts';
import type { DocumentLimits } from '../limits.ts';
import { normalizeText } from '../text-decoding.ts';

/** Entries below this size cannot hide a bomb, whatever their ratio. */
const RATIO_FLOOR_BYTES = 64 * 1024;
const CORE_PROPERTIES = 'docProps/core.xml';
const MAX_CORE_PROPERTIES_BYTES = 256 * 1024;
const CORE_FIELDS: Record<string, string> = {
  'dc:title': 'title',
  'dc:creator': 'author',
  'dc:subject': 'subject',
  'dc:description': 'description',
  'cp:keywords': 'keywords',
};

/** What the scan learnt besides "safe": the document properties (title, author...). */
export interface DocxArchiveFacts {
  properties: Record<string, string>;
}

/**
 * Checks a DOCX (zip) archive before any DOCX parser opens it: entry count, declared
 * compression ratio per entry, and total uncompressed size, then inflates every XML part
 * (what the parser will read) counting real bytes, so an entry that lies about its size
 * is caught too. Also reads the core properties.
 */
export async function scanDocxArchive(
  bytes: Uint8Array,
  guards: DocumentLimits['archive'],
): Promise<DocxArchiveFacts> {
  const zip = await yauzl
    .fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      validateEntrySizes: true,
    })
    .catch((error: unknown) => {
      throw corrupt(error);
    });
  try {
    if (zip.entryCount > guards.maxEntries) {
      throw bomb(`the archive has ${zip.entryCount} entries; the limit is ${guards.maxEntries}`);
    }
    let declaredTotal = 0;
    let inflatedTotal = 0;
    let hasDocument = false;
    let properties: Record<string, string> = {};
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > guards.maxUncompressedBytes) {
        throw bomb(`it expands beyond ${guards.maxUncompressedBytes} bytes`);
      }
      const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
      if (entry.uncompressedSize >= RATIO_FLOOR_BYTES && ratio > guards.maxCompressionRatio) {
        throw bomb(`an entry is compressed ${Math.round(ratio)}:1`);
      }
      if (entry.fileName === 'word/document.xml') hasDocument = true;
      if (!/\.(?:xml|rels)$/i.test(entry.fileName)) continue;
      const keep =
        entry.fileName === CORE_PROPERTIES && entry.uncompressedSize <= MAX_CORE_PROPERTIES_BYTES;
      const content = await inflate(zip, entry, keep, (size) => {
        inflatedTotal += size;
        if (inflatedTotal > guards.maxUncompressedBytes) {
          throw bomb(`it expands beyond ${guards.maxUncompressedBytes} bytes`);
        }
      });
      if (content) properties = coreProperties(content);
    }
    if (!hasDocument) {
      throw new UnsupportedMediaTypeError('The zip archive is not a Word (DOCX) document.');
    }
    return { properties };
  } finally {
    if (zip.isOpen) zip.close();
  }
}

async function inflate(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  keep: boolean,
  onBytes: (size: number) => void,
): Promise<string | undefined> {
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw corrupt(error);
  }
  const kept: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      onBytes(chunk.length);
      if (keep) kept.push(chunk);
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof DocumentRejectedError) throw error;
    // yauzl's size validation: the entry inflates to more than its header declares.
    if (error instanceof Error && /too many bytes/i.test(error.message)) {
      throw bomb('an entry inflates to more than its declared size');
    }
    throw corrupt(error);
  }
  return keep ? Buffer.concat(kept).toString('utf8') : undefined;
}

function coreProperties(xml: string): Record<string, string> {
  const properties: Record<string, string> = {};
  let field: string | undefined;
  let parts: string[] = [];
  const parser = new Parser(
    {
      onopentag(name) {
        field = CORE_FIELDS[name];
        parts = [];
      },
      ontext(text) {
        if (field) parts.push(text);
      },
      onclosetag(name) {
        const key = CORE_FIELDS[name];
        const value = normalizeText(parts.join('')).replace(/\s+/g, ' ').trim();
        if (key && value !== '') properties[key] = value.slice(0, 2_000);
        field = undefined;
      },
    },
    { xmlMode: true },
  );
  parser.write(xml);
  parser.end();
  return properties;
}

function bomb(reason: string): DocumentRejectedError {
  return new DocumentRejectedError('archive_bomb', `The DOCX archive was refused: ${reason}.`);
}

function corrupt(error: unknown): DocumentRejectedError {
  return new DocumentRejectedError(
    'corrupt_file',
    'The DOCX archive is damaged and cannot be read.',
    {
      cause: error,
    },
  );
}
