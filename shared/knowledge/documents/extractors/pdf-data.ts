import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * pdfjs-dist at the exact version unpdf bundles, installed under another name so that
 * unpdf does not find it as `pdfjs-dist` and point pdf.js at it by itself.
 */
const DATA_PACKAGE = 'pdfjs-data';
/** The folder beside the bundled extraction worker that holds pdf.js's data. */
const BUNDLED_FOLDER = 'pdfjs';

const STANDARD_FONTS = 'standard_fonts';
const CMAPS = 'cmaps';

/**
 * pdf.js's data folders as the ingest function ships them: `from` is project-relative,
 * `to` is relative to the bundle folder. `standard_fonts` holds the 14 standard fonts'
 * programs (and their licences); `cmaps` the predefined CJK CMaps, packed.
 */
export const PDFJS_DATA_FOLDERS = [STANDARD_FONTS, CMAPS].map((name) => ({
  from: `node_modules/${DATA_PACKAGE}/${name}`,
  to: `${BUNDLED_FOLDER}/${name}`,
}));

/** Absolute folder paths, ending in the `/` pdf.js requires before it appends a file name. */
export interface PdfJsDataPaths {
  standardFontDataUrl: string;
  cMapUrl: string;
}

/**
 * Where pdf.js reads its data from: beside the bundle file when this code runs bundled
 * (`pdfjs/` next to `extraction-worker.mjs`), else the installed package (`npm run dev`,
 * tests). pdf.js in Node reads these paths with `fs`, never over the network.
 */
export function pdfJsDataPaths(): PdfJsDataPaths {
  const here = import.meta.url;
  const root = here.endsWith('.ts')
    ? dirname(createRequire(here).resolve(`${DATA_PACKAGE}/package.json`))
    : join(dirname(fileURLToPath(here)), BUNDLED_FOLDER);
  return {
    standardFontDataUrl: `${join(root, STANDARD_FONTS)}/`,
    cMapUrl: `${join(root, CMAPS)}/`,
  };
}
