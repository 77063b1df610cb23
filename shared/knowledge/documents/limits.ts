import type { Config } from '../../platform/config/index.ts';

/** Caps on one document, from `DOCUMENT_*` settings plus parser guards with fixed defaults. */
export interface DocumentLimits {
  maxBytes: number;
  maxPages: number;
  maxCharacters: number;
  maxChunks: number;
  parseTimeoutMs: number;
  /** Deepest element nesting accepted in HTML (and DOCX, which is read through HTML). */
  maxNestingDepth: number;
  /** DOCX (zip) guards, checked before the DOCX parser sees the archive. */
  archive: {
    maxEntries: number;
    maxUncompressedBytes: number;
    /** Largest uncompressed/compressed ratio of one entry; zip bombs run to 1000:1 and more. */
    maxCompressionRatio: number;
  };
}

/**
 * Parser guards with no setting of their own. Browsers stop nesting elements at a few
 * hundred levels; Word files hold tens of parts, rarely a few thousand with images; XML
 * deflates about 10:1, so 100:1 leaves room while catching bombs.
 */
export const PARSER_GUARD_DEFAULTS = {
  maxNestingDepth: 512,
  archive: {
    maxEntries: 2_000,
    maxUncompressedBytes: 64 * 1024 * 1024,
    maxCompressionRatio: 100,
  },
} as const satisfies Pick<DocumentLimits, 'maxNestingDepth' | 'archive'>;

/** The document limits from the platform configuration. */
export function documentLimits(limits: Config['limits']): DocumentLimits {
  return {
    maxBytes: limits.documentMaxBytes,
    maxPages: limits.documentMaxPages,
    maxCharacters: limits.documentMaxCharacters,
    maxChunks: limits.documentMaxChunks,
    parseTimeoutMs: limits.documentParseTimeoutMs,
    maxNestingDepth: PARSER_GUARD_DEFAULTS.maxNestingDepth,
    archive: { ...PARSER_GUARD_DEFAULTS.archive },
  };
}
