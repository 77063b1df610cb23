import { DocumentRejectedError } from './errors.ts';

export interface DecodedText {
  text: string;
  /** The encoding the bytes were read as (a WHATWG encoding name). */
  encoding: string;
}

/** Share of C0 control bytes (other than tab, line ends and form feed) above which bytes are not text. */
const MAX_CONTROL_SHARE = 0.01;
/** Stray control bytes tolerated in any text, however short (old editors leave a few). */
const CONTROL_ALLOWANCE = 8;

/**
 * Reads bytes as text: a BOM (UTF-8, UTF-16 LE/BE) decides first, then a valid `charset`
 * hint, then strict UTF-8, and otherwise Windows-1252 (the WHATWG reading of Latin-1),
 * which maps every byte. Bytes invalid in the chosen encoding become U+FFFD.
 * Bytes that look binary (NUL, or more than 1% control bytes) are refused.
 */
export function decodeText(bytes: Uint8Array, charsetHint?: string): DecodedText {
  const bom = utf16BomEncoding(bytes);
  if (bom) return decodeUtf16(bom, bytes.subarray(2));
  const hinted = charsetHint ? supportedEncoding(charsetHint) : undefined;
  // UTF-16 without a BOM is full of NUL bytes; the declared charset is all there is to go on.
  if (hinted === 'utf-16le' || hinted === 'utf-16be') return decodeUtf16(hinted, bytes);
  assertNotBinary(bytes);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return decodeWith('utf-8', bytes.subarray(3));
  if (hinted) return decodeWith(hinted, bytes);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return decodeWith('windows-1252', bytes);
  }
}

/** The UTF-16 byte order a leading byte-order mark announces, if any. */
export function utf16BomEncoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Refuses bytes that are not text: any NUL, or a high share of other control bytes. */
export function assertNotBinary(bytes: Uint8Array): void {
  let controls = 0;
  for (const byte of bytes) {
    if (byte === 0) throw binaryContent();
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d)
      controls += 1;
  }
  if (controls > Math.max(CONTROL_ALLOWANCE, bytes.length * MAX_CONTROL_SHARE))
    throw binaryContent();
}

function binaryContent(): DocumentRejectedError {
  return new DocumentRejectedError('binary_content', 'The file holds binary data, not text.');
}

/** UTF-16 cannot be screened byte by byte: judge the decoded characters instead. */
function decodeUtf16(encoding: string, bytes: Uint8Array): DecodedText {
  const decoded = decodeWith(encoding, bytes);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  const suspicious = decoded.text.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0;
  if (suspicious > Math.max(CONTROL_ALLOWANCE, decoded.text.length * MAX_CONTROL_SHARE)) {
    throw binaryContent();
  }
  return decoded;
}

function decodeWith(encoding: string, bytes: Uint8Array): DecodedText {
  const text = new TextDecoder(encoding, { fatal: false, ignoreBOM: true }).decode(bytes);
  return { text, encoding };
}

function supportedEncoding(label: string): string | undefined {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

/**
 * The canonical form of every extracted text: NFC, `\n` line ends, no control characters
 * other than tab and newline, so offsets mean the same thing whatever the source format.
 */
export function normalizeText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufeff]/g, (char) => (char === '\f' ? '\n' : ''))
      .normalize('NFC')
  );
}
