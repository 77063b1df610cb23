/**
 * The PDF text engines the engine benchmark compares, each behind one function: bytes in,
 * text per page out, with the options the extractor uses (no eval, nothing fetched).
 * Only the current engine is a runtime dependency; the others are dev dependencies kept
 * for this comparison.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PDFJS_OFFLINE_OPTIONS } from '#shared/knowledge/documents/extractors/pdf.ts';
import {
  type PdfTextItem,
  readingOrderText,
} from '#shared/knowledge/documents/extractors/pdf-text-order.ts';

/** Text per page, as the extractor joins a page's items. */
export type ExtractPages = (bytes: Uint8Array) => Promise<string[]>;

export interface PdfEngine {
  name: string;
  /** The package and version, and the licence of what runs. */
  package: string;
  licence: string;
  /** Loads the engine's code (and WebAssembly) once; the returned function extracts. */
  load: () => Promise<ExtractPages>;
}

const require = createRequire(import.meta.url);

/** The subset of pdf.js's API the loop uses, common to every version compared. */
interface PdfJsModule {
  getDocument(source: Record<string, unknown>): {
    promise: Promise<{
      numPages: number;
      getPage(number: number): Promise<{
        getTextContent(): Promise<{ items: unknown[] }>;
        cleanup(): void;
      }>;
    }>;
    destroy(): Promise<void>;
  };
}

/** Text items, as opposed to marked-content markers, in every pdf.js version compared. */
function isTextItem(item: unknown): item is PdfTextItem {
  return typeof item === 'object' && item !== null && 'str' in item;
}

/** The extractor's loop (one page at a time, cleaned up after) on any pdf.js build. */
function pdfJsPages(pdfjs: PdfJsModule): ExtractPages {
  return async (bytes) => {
    // The loading task, not the document: pdf.js 6 has no `destroy` on the document.
    const task = pdfjs.getDocument({ data: bytes.slice(), ...PDFJS_OFFLINE_OPTIONS });
    const pdf = await task.promise;
    try {
      const pages: string[] = [];
      for (let number = 1; number <= pdf.numPages; number += 1) {
        const page = await pdf.getPage(number);
        const { items } = await page.getTextContent();
        pages.push(readingOrderText(items.filter(isTextItem)));
        page.cleanup();
      }
      return pages;
    } finally {
      await task.destroy();
    }
  };
}

/** Minimal typing of the PDFium C API as @embedpdf/pdfium exposes it. */
interface PdfiumApi {
  pdfium: {
    wasmExports: {
      malloc(size: number): number;
      free(pointer: number): void;
      memory: { buffer: ArrayBuffer };
    };
  };
  PDFiumExt_Init(): void;
  FPDF_LoadMemDocument(pointer: number, size: number, password: string): number;
  FPDF_GetPageCount(document: number): number;
  FPDF_LoadPage(document: number, index: number): number;
  FPDF_ClosePage(page: number): void;
  FPDF_CloseDocument(document: number): void;
  FPDFText_LoadPage(page: number): number;
  FPDFText_CountChars(textPage: number): number;
  FPDFText_GetText(textPage: number, start: number, count: number, buffer: number): number;
  FPDFText_ClosePage(textPage: number): void;
}

async function embedPdfium(): Promise<ExtractPages> {
  const { init } = (await import('@embedpdf/pdfium')) as unknown as {
    init(options: { wasmBinary: ArrayBuffer }): Promise<PdfiumApi>;
  };
  const wasm = readFileSync(require.resolve('@embedpdf/pdfium/pdfium.wasm'));
  const api = await init({ wasmBinary: new Uint8Array(wasm).buffer });
  api.PDFiumExt_Init();
  const { malloc, free, memory } = api.pdfium.wasmExports;
  const utf16 = new TextDecoder('utf-16le');
  return async (bytes) => {
    const data = malloc(bytes.length);
    new Uint8Array(memory.buffer, data, bytes.length).set(bytes);
    const document = api.FPDF_LoadMemDocument(data, bytes.length, '');
    if (document === 0) {
      free(data);
      throw new Error('PDFium could not open the document');
    }
    try {
      const pages: string[] = [];
      for (let index = 0; index < api.FPDF_GetPageCount(document); index += 1) {
        const page = api.FPDF_LoadPage(document, index);
        const textPage = api.FPDFText_LoadPage(page);
        const count = api.FPDFText_CountChars(textPage);
        const buffer = malloc((count + 1) * 2);
        const written = api.FPDFText_GetText(textPage, 0, count, buffer);
        pages.push(
          utf16.decode(new Uint8Array(memory.buffer, buffer, Math.max(0, written - 1) * 2)),
        );
        free(buffer);
        api.FPDFText_ClosePage(textPage);
        api.FPDF_ClosePage(page);
      }
      return pages;
    } finally {
      api.FPDF_CloseDocument(document);
      free(data);
    }
  };
}

async function hyzylaPdfium(): Promise<ExtractPages> {
  const { PDFiumLibrary } = await import('@hyzyla/pdfium');
  const wasm = readFileSync(require.resolve('@hyzyla/pdfium/pdfium.wasm'));
  const library = await PDFiumLibrary.init({ wasmBinary: new Uint8Array(wasm).buffer });
  return async (bytes) => {
    const document = await library.loadDocument(bytes);
    try {
      return [...document.pages()].map((page) => page.getText());
    } finally {
      document.destroy();
    }
  };
}

export const PDF_ENGINES: PdfEngine[] = [
  {
    name: 'unpdf',
    package: 'unpdf 1.7.0 (pdf.js 5.6.205)',
    licence: 'MIT (unpdf), Apache-2.0 (pdf.js)',
    load: async () => pdfJsPages((await import('unpdf/pdfjs')) as unknown as PdfJsModule),
  },
  {
    name: 'pdfjs-5.4',
    package: 'pdfjs-dist 5.4.296',
    licence: 'Apache-2.0',
    load: async () =>
      pdfJsPages((await import('pdfjs-dist-5.4/legacy/build/pdf.mjs')) as unknown as PdfJsModule),
  },
  {
    name: 'pdfjs-6.5',
    package: 'pdfjs-dist 6.5.438',
    licence: 'Apache-2.0',
    load: async () =>
      pdfJsPages((await import('pdfjs-dist-6.5/legacy/build/pdf.mjs')) as unknown as PdfJsModule),
  },
  {
    name: 'pdfium-embedpdf',
    package: '@embedpdf/pdfium 2.15.1 (PDFium, WebAssembly)',
    licence: 'MIT (wrapper), BSD-3-Clause (PDFium)',
    load: embedPdfium,
  },
  {
    name: 'pdfium-hyzyla',
    package: '@hyzyla/pdfium 2.1.13 (PDFium, WebAssembly)',
    licence: 'MIT (wrapper), BSD-3-Clause (PDFium)',
    load: hyzylaPdfium,
  },
];
