/**
 * PDFs written byte by byte, for what pdf-lib will not make: fonts that are not embedded,
 * and glyphs drawn in the visual order right-to-left text is drawn in.
 */

/** A one-page PDF whose page uses `font` as /F1 and draws `content`; object 1 is the catalog. */
export function handWrittenPdf(
  font: string,
  content: string,
  extraObjects: string[] = [],
): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    font,
    stream(content),
    ...extraObjects,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((object, index) => {
    const offset = pdf.length;
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(pdf, 'latin1'));
}

function stream(data: string): string {
  return `<< /Length ${data.length} >>\nstream\n${data}\nendstream`;
}

/** One run of glyphs, drawn left to right from `x` in the order `glyphs` lists them. */
export interface DrawnRun {
  glyphs: string;
  x: number;
  y: number;
}

/** Every glyph of the font below is this wide, in text space units at size 1. */
export const GLYPH_WIDTH = 0.5;

/**
 * Runs drawn with a Type0 font (Identity-H) whose ToUnicode map gives each glyph one
 * character, the way word processors write Arabic and Hebrew: one glyph per character
 * (no shaping, which text extraction does not see), in visual order. The font program is
 * not embedded: extraction reads the ToUnicode map and the widths only.
 */
export function drawnRunsPdf(runs: DrawnRun[], size = 12): Uint8Array {
  const characters = [...new Set(runs.flatMap((run) => [...run.glyphs]))];
  const cid = (character: string) =>
    (characters.indexOf(character) + 1).toString(16).padStart(4, '0');
  const hex = (code: number) => code.toString(16).padStart(4, '0');
  const map = characters
    .map((character) => `<${cid(character)}> <${hex(character.codePointAt(0) as number)}>`)
    .join('\n');
  const toUnicode = `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Drawn def 1 begincodespacerange <0000> <FFFF> endcodespacerange
${characters.length} beginbfchar
${map}
endbfchar endcmap CMapName currentdict /CMap defineresource pop end end`;
  const content = runs
    .map(
      (run) =>
        `BT /F1 ${size} Tf 1 0 0 1 ${run.x} ${run.y} Tm <${[...run.glyphs].map(cid).join('')}> Tj ET`,
    )
    .join('\n');
  return handWrittenPdf(
    '<< /Type /Font /Subtype /Type0 /BaseFont /Drawn /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>',
    content,
    [
      `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Drawn /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW ${GLYPH_WIDTH * 1000} /FontDescriptor 8 0 R >>`,
      stream(toUnicode),
      '<< /Type /FontDescriptor /FontName /Drawn /Flags 4 /FontBBox [0 -200 1000 800] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>',
    ],
  );
}

/** A string's characters in the order a right-to-left line draws them, left to right. */
export function visualOrder(text: string): string {
  return [...text].reverse().join('');
}

/** A CJK character collection and the predefined CMap that maps UCS-2 codes into it. */
export interface PredefinedCMap {
  /** The CMap's name, used as the font's /Encoding. */
  encoding: string;
  /** The collection's /Ordering under /Registry (Adobe). */
  ordering: string;
}

/**
 * `text` drawn with a Type0 font that names a predefined CMap as its encoding, the way
 * CJK PDFs that rely on the reader's own fonts are written: the font program is not
 * embedded and there is no ToUnicode map, so a reader needs the CMap (code to CID) and
 * the collection's UCS-2 CMap (CID to Unicode) to recover the text.
 */
export function predefinedCMapPdf(
  text: string,
  { encoding, ordering }: PredefinedCMap,
): Uint8Array {
  const codes = [...text]
    .map((character) => (character.codePointAt(0) as number).toString(16).padStart(4, '0'))
    .join('');
  return handWrittenPdf(
    `<< /Type /Font /Subtype /Type0 /BaseFont /CJKSans /Encoding /${encoding} /DescendantFonts [6 0 R] >>`,
    `BT /F1 12 Tf 72 700 Td <${codes}> Tj ET`,
    [
      `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /CJKSans /CIDSystemInfo << /Registry (Adobe) /Ordering (${ordering}) /Supplement 2 >> /DW 1000 /FontDescriptor 7 0 R >>`,
      '<< /Type /FontDescriptor /FontName /CJKSans /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>',
    ],
  );
}
