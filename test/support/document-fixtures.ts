import { crc32, createDeflate, deflateRawSync } from 'node:zlib';
import { PDFDocument, PDFHexString, PDFName, StandardFonts } from 'pdf-lib';

/** Builders for real documents, made in the test so every byte is known. */

const encoder = new TextEncoder();

export interface PdfSpec {
  /** Lines of text per page. */
  pages: string[][];
  title?: string;
  author?: string;
}

/** A PDF with one line of text per `drawText`, and title/author in its info dictionary. */
export async function buildPdf(spec: PdfSpec): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  if (spec.title) pdf.setTitle(spec.title);
  if (spec.author) pdf.setAuthor(spec.author);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const lines of spec.pages) {
    const page = pdf.addPage([612, 792]);
    lines.forEach((line, index) => {
      page.drawText(line, { x: 50, y: 740 - index * 16, size: 11, font });
    });
  }
  return pdf.save({ useObjectStreams: false });
}

/**
 * A PDF that needs a user password to open: a standard security handler (RC4, revision 2)
 * in the trailer whose `/U` entry matches no empty password. pdf-lib cannot encrypt, but
 * readers check the password before reading any content, so that is all it takes.
 */
export async function buildEncryptedPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage().drawText('Confidential figures', { x: 50, y: 700, size: 12, font });
  const context = pdf.context;
  const encrypt = context.obj({
    Filter: 'Standard',
    V: 1,
    R: 2,
    Length: 40,
    P: -44,
    O: PDFHexString.of('7a'.repeat(32)),
    U: PDFHexString.of('3c'.repeat(32)),
  });
  context.trailerInfo.Encrypt = context.register(encrypt);
  const id = PDFHexString.of('5f'.repeat(16));
  context.trailerInfo.ID = context.obj([id, id]);
  return pdf.save({ useObjectStreams: false });
}

/** The first `fraction` of a file, as an interrupted upload leaves it. */
export function truncate(bytes: Uint8Array, fraction: number): Uint8Array {
  return bytes.slice(0, Math.floor(bytes.length * fraction));
}

/** A PDF whose `%PDF-` signature has been overwritten. */
export function withWrongMagic(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy.set(encoder.encode('%PDX-'), 0);
  return copy;
}

export interface ZipEntrySpec {
  name: string;
  data: Uint8Array | string;
  /** Store a different uncompressed size in the headers than the real one (a lying bomb). */
  declaredSize?: number;
}

/** A zip archive (deflate), written by hand: local headers, central directory, end record. */
export function buildZip(entries: ZipEntrySpec[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? encoder.encode(entry.data) : entry.data;
    const compressed = deflateRawSync(data, { level: 9 });
    const name = Buffer.from(entry.name, 'utf8');
    const crc = crc32(data);
    const size = entry.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(33, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(33, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

export interface DocxParagraph {
  text: string;
  /** A paragraph style id, e.g. `Heading1`. */
  style?: string;
}

export interface DocxSpec {
  paragraphs: DocxParagraph[];
  title?: string;
  author?: string;
  /** Replace `word/document.xml` (for bombs). */
  documentEntry?: Partial<ZipEntrySpec>;
}

const WORD_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A Word document with the parts Word itself writes first, heading styles included. */
export function buildDocx(spec: DocxSpec): Uint8Array {
  const body = spec.paragraphs
    .map(({ text, style }) => {
      const properties = style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : '';
      return `<w:p>${properties}<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;
    })
    .join('');
  const headingStyles = [1, 2, 3]
    .map(
      (level) =>
        `<w:style w:type="paragraph" w:styleId="Heading${level}"><w:name w:val="heading ${level}"/></w:style>`,
    )
    .join('');
  const documentXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${WORD_NS}"><w:body>${body}</w:body></w:document>`;
  return buildZip([
    {
      name: '[Content_Types].xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`,
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
    },
    { name: 'word/document.xml', data: documentXml, ...spec.documentEntry },
    {
      name: 'word/_rels/document.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    },
    {
      name: 'word/styles.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="${WORD_NS}">${headingStyles}</w:styles>`,
    },
    {
      name: 'docProps/core.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">${spec.title ? `<dc:title>${escapeXml(spec.title)}</dc:title>` : ''}${spec.author ? `<dc:creator>${escapeXml(spec.author)}</dc:creator>` : ''}</cp:coreProperties>`,
    },
  ]);
}

/**
 * A DOCX whose document part inflates from tens of kilobytes to `megabytes` MB of
 * whitespace; with `lie`, the headers also claim it is tiny.
 */
export function buildDocxBomb(megabytes: number, options: { lie?: boolean } = {}): Uint8Array {
  const filler = Buffer.alloc(megabytes * 1024 * 1024, ' ');
  const data = Buffer.concat([
    Buffer.from(`<?xml version="1.0"?><w:document xmlns:w="${WORD_NS}"><w:body>`),
    filler,
    Buffer.from('</w:body></w:document>'),
  ]);
  return buildDocx({
    paragraphs: [],
    documentEntry: { data, ...(options.lie ? { declaredSize: 2048 } : {}) },
  });
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Markdown with YAML front matter and headings three levels deep. */
export const MARKDOWN_HANDBOOK = `---
title: Engineering Handbook
author: Platform Team
tags: [onboarding, process]
owner:
  team: platform
---

# Engineering Handbook

Welcome to the team. This handbook explains how we work.

## Deployments

We deploy every weekday. Rollbacks are automatic.

### Rollback procedure

Run the rollback job and page the on-call engineer.

## On-call

The rotation changes every Monday at noon.
`;

/** An HTML page with everything a reader must not see: scripts, styles, hidden blocks. */
export const HTML_WITH_HIDDEN = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Travel &amp; Expenses Policy</title>
  <meta name="author" content="Finance Team">
  <style>body { font-family: sans-serif; } .x::after { content: "styled away"; }</style>
  <script>window.tracking = "script text must vanish";</script>
</head>
<body>
  <nav aria-hidden="true">Skip navigation menu</nav>
  <h1>Travel Policy</h1>
  <p>Book   flights through the <b>portal</b>.</p>
  <div hidden>hidden attribute text</div>
  <div style="color: red; display:none">inline display none text</div>
  <span style="visibility: hidden">invisible span text</span>
  <noscript>enable javascript text</noscript>
  <template><p>template text</p></template>
  <h2>Hotels</h2>
  <p>Stay within the nightly limit.</p>
  <ul><li>Europe: 180 EUR</li><li>USA: 220 USD</li></ul>
  <script type="module">console.log("module script text")</script>
  <h2>Meals</h2>
  <p>Keep receipts.</p>
</body>
</html>
`;

/** `depth` nested `<div>` elements around one word. */
export function deeplyNestedHtml(depth: number): string {
  return `<!DOCTYPE html><html><body>${'<div>'.repeat(depth)}deep${'</div>'.repeat(depth)}</body></html>`;
}

/** Latin-1 (ISO-8859-1) bytes of `text`, the way older Windows tools save files. */
export function latin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

/** Deterministic pseudo-random bytes (xorshift32), for "binary garbage". */
export function garbage(length: number, seed = 0x9e3779b9): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0;
  for (let index = 0; index < length; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

/** One line of `bytes` letters with no line break anywhere. */
export function oneLine(bytes: number): Uint8Array {
  return new Uint8Array(Buffer.alloc(bytes, 'a'));
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * A small PDF whose one content stream inflates to `megabytes` of spaces: a compression
 * bomb that a heap cap alone does not see, because decoded streams live in ArrayBuffers.
 */
export async function buildPdfStreamBomb(megabytes: number): Promise<Uint8Array> {
  const deflate = createDeflate({ level: 9 });
  const compressed: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => compressed.push(chunk));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const spaces = Buffer.alloc(1024 * 1024, 0x20);
  for (let written = 0; written < megabytes; written += 1) {
    if (!deflate.write(spaces)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;

  const pdf = await PDFDocument.create();
  const page = pdf.addPage([612, 792]);
  const stream = pdf.context.stream(Buffer.concat(compressed), { Filter: 'FlateDecode' });
  page.node.set(PDFName.of('Contents'), pdf.context.register(stream));
  return pdf.save({ useObjectStreams: false });
}
