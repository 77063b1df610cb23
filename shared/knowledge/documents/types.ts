/** The formats the platform can extract text from. */
export type DocumentType = 'pdf' | 'docx' | 'html' | 'markdown' | 'text';

/** Raw bytes of an uploaded document plus what the caller claimed about them. */
export interface UploadedDocument {
  bytes: Uint8Array;
  /** Used for its extension only, as a declared type. */
  filename?: string | undefined;
  /** A MIME type, parameters allowed (`text/plain; charset=windows-1252`). */
  contentType?: string | undefined;
}

/** A page of a paginated source (PDF): `[start, end)` indexes into the extracted text. */
export interface PageSpan {
  number: number;
  start: number;
  end: number;
}

/** A stretch of text under one heading; `headingPath` runs from the outermost heading down. */
export interface SectionSpan {
  headingPath: string[];
  start: number;
  end: number;
}

/**
 * The normalised result of extracting any supported format. `text` is NFC Unicode with
 * `\n` line ends; every offset in `pages` and `sections` indexes into it.
 */
export interface ExtractedDocument {
  type: DocumentType;
  title: string | undefined;
  author?: string | undefined;
  /** Flat string metadata from the file itself (PDF info, Markdown front matter, HTML meta). */
  metadata: Record<string, string>;
  text: string;
  /** One entry per page for PDFs; empty for formats without pages. */
  pages: PageSpan[];
  /** Ordered, non-overlapping; empty when the format carries no headings. */
  sections: SectionSpan[];
}
