import { normalizeText } from '../text-decoding.ts';

const INFO_FIELDS = ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer'] as const;

/**
 * PDFDocEncoding's bytes that are not Latin-1 (PDF 2.0, Annex D), by the character each
 * stands for; every other byte stands for the Latin-1 character of the same number.
 */
const PDF_DOC_BYTES = new Map<number, number>([
  [0x02d8, 0x18],
  [0x02c7, 0x19],
  [0x02c6, 0x1a],
  [0x02d9, 0x1b],
  [0x02dd, 0x1c],
  [0x02db, 0x1d],
  [0x02da, 0x1e],
  [0x02dc, 0x1f],
  [0x2022, 0x80],
  [0x2020, 0x81],
  [0x2021, 0x82],
  [0x2026, 0x83],
  [0x2014, 0x84],
  [0x2013, 0x85],
  [0x0192, 0x86],
  [0x2044, 0x87],
  [0x2039, 0x88],
  [0x203a, 0x89],
  [0x2212, 0x8a],
  [0x2030, 0x8b],
  [0x201e, 0x8c],
  [0x201c, 0x8d],
  [0x201d, 0x8e],
  [0x2018, 0x8f],
  [0x2019, 0x90],
  [0x201a, 0x91],
  [0x2122, 0x92],
  [0xfb01, 0x93],
  [0xfb02, 0x94],
  [0x0141, 0x95],
  [0x0152, 0x96],
  [0x0160, 0x97],
  [0x0178, 0x98],
  [0x017d, 0x99],
  [0x0131, 0x9a],
  [0x0142, 0x9b],
  [0x0153, 0x9c],
  [0x0161, 0x9d],
  [0x017e, 0x9e],
  [0x20ac, 0xa0],
] as const);

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * An info string as its producer meant it. The PDF specification allows PDFDocEncoding
 * or UTF-16BE with a byte-order mark (and, since PDF 2.0, UTF-8 with one), and the parser
 * decodes those; but many producers write UTF-8 without a mark, which PDFDocEncoding turns
 * into mojibake ("æ—¥æœ¬" for "日本"). Such a string is taken back to its bytes and read as
 * UTF-8 when those bytes are valid UTF-8 with at least one multi-byte sequence: text
 * really meant as PDFDocEncoding almost never is (it would take pairs like "Ã©").
 */
export function decodeInfoString(decoded: string): string {
  const bytes: number[] = [];
  let multiByte = false;
  for (const char of decoded) {
    const code = char.codePointAt(0) as number;
    const byte = code < 0x100 ? code : PDF_DOC_BYTES.get(code);
    // A character PDFDocEncoding cannot hold: the parser read UTF-16 or UTF-8 already.
    if (byte === undefined) return decoded;
    if (byte >= 0x80) multiByte = true;
    bytes.push(byte);
  }
  if (!multiByte) return decoded;
  try {
    return strictUtf8.decode(new Uint8Array(bytes));
  } catch {
    return decoded;
  }
}

/** The info dictionary's text fields, lower-cased keys, decoded and normalised; blanks left out. */
export function infoMetadata(info: unknown): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (info === null || typeof info !== 'object') return metadata;
  for (const field of INFO_FIELDS) {
    const value = (info as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.trim() !== '') {
      metadata[field.toLowerCase()] = normalizeText(decodeInfoString(value)).trim();
    }
  }
  return metadata;
}
