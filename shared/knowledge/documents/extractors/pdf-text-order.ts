/** What the page text needs of one pdf.js text item. */
export interface PdfTextItem {
  str: string;
  hasEOL: boolean;
  /** pdf.js's text matrix: `[a, b, c, d, x, y]`. */
  transform: number[];
  width: number;
  height: number;
}

/** Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, and their presentation forms. */
const RTL_LETTERS = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]/gu;
const LETTERS = /\p{L}/gu;
/** A gap between two runs wider than this share of the text height is a word break. */
const WORD_GAP = 0.2;

/**
 * A page's text from its items, one line per `hasEOL`. pdf.js puts each run of glyphs in
 * logical order (it applies the bidi algorithm within a run), but hands the runs over in
 * the order the content stream draws them, which for right-to-left text is usually left
 * to right: an Arabic or Hebrew line drawn word by word would come out with its words
 * reversed. A line whose letters are mostly right-to-left is therefore put in reading
 * order: runs sorted by position, then read from the right, with runs of
 * left-to-right text (Latin words, numbers) kept in their own order inside it.
 */
export function readingOrderText(items: PdfTextItem[]): string {
  let text = '';
  let line: PdfTextItem[] = [];
  for (const item of items) {
    line.push(item);
    if (item.hasEOL) {
      text += `${lineText(line)}\n`;
      line = [];
    }
  }
  return text + lineText(line);
}

function lineText(line: PdfTextItem[]): string {
  const plain = line.map((item) => item.str).join('');
  const rtl = plain.match(RTL_LETTERS)?.length ?? 0;
  if (rtl === 0 || !line.every(isHorizontal)) return plain;
  // Digits are weak: only letters decide which way the line reads.
  const ltr = (plain.match(LETTERS)?.length ?? 0) - rtl;
  if (rtl <= ltr) return plain;
  // Empty items (pdf.js's line ends) have no place on the line to be sorted by.
  const runs = line.filter((item) => item.str !== '');
  return readRightToLeft(runs.sort((a, b) => xOf(a) - xOf(b)));
}

/** Visual runs (left to right) of a right-to-left line, in reading order. */
function readRightToLeft(visual: PdfTextItem[]): string {
  // Groups in visual order; a group is one right-to-left or neutral run, or a stretch of
  // left-to-right runs (with the neutral runs between them), which reads left to right.
  const groups: PdfTextItem[][] = [];
  let stretch: PdfTextItem[] = [];
  let pendingNeutral: PdfTextItem[] = [];
  const closeStretch = () => {
    if (stretch.length > 0) groups.push(stretch);
    for (const neutral of pendingNeutral) groups.push([neutral]);
    stretch = [];
    pendingNeutral = [];
  };
  for (const item of visual) {
    const kind = direction(item.str);
    if (kind === 'ltr') {
      stretch.push(...pendingNeutral, item);
      pendingNeutral = [];
    } else if (kind === 'neutral' && stretch.length > 0) {
      pendingNeutral.push(item);
    } else {
      closeStretch();
      groups.push([item]);
    }
  }
  closeStretch();
  let text = '';
  let left: PdfTextItem | undefined;
  // Walking right to left: `left` of the group read last is the run to the right of this one.
  for (const group of groups.reverse()) {
    const right = group.at(-1) as PdfTextItem;
    if (left && needsSpace(right, left)) text += ' ';
    text += group.map((item) => item.str).join('');
    left = group[0];
  }
  return text;
}

/** How a run reads: numbers go with Latin text, which keeps its left-to-right order. */
function direction(text: string): 'rtl' | 'ltr' | 'neutral' {
  if (text.match(RTL_LETTERS)) return 'rtl';
  return /[\p{L}\p{N}]/u.test(text) ? 'ltr' : 'neutral';
}

/**
 * pdf.js marks word gaps only when the pen moves forward; runs drawn from right to left
 * jump back, so the gap between two neighbours is measured here.
 */
function needsSpace(leftRun: PdfTextItem, rightRun: PdfTextItem): boolean {
  if (/\s$/u.test(leftRun.str) || /^\s/u.test(rightRun.str)) return false;
  const gap = xOf(rightRun) - (xOf(leftRun) + leftRun.width);
  return gap > WORD_GAP * Math.max(leftRun.height, rightRun.height);
}

function xOf(item: PdfTextItem): number {
  return item.transform[4] ?? 0;
}

function isHorizontal(item: PdfTextItem): boolean {
  return (item.transform[1] ?? 0) === 0 && (item.transform[2] ?? 0) === 0;
}
