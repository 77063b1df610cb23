import { readdirSync, readFileSync } from 'node:fs';
import { generatedPdf } from './generated-pdf.ts';

const FIXTURES = new URL('../../test/fixtures/pdf/', import.meta.url);

export interface BenchmarkPdf {
  name: string;
  bytes: Uint8Array;
}

/**
 * The PDFs every engine reads: the generated report (`BENCH_INGEST_PAGES` pages, 300 by
 * default) and the real documents in `test/fixtures/pdf/` (sources and licences in its
 * README).
 */
export async function benchmarkPdfs(): Promise<BenchmarkPdf[]> {
  const pages = Number(process.env.BENCH_INGEST_PAGES ?? 300);
  const real = readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.pdf'))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(new URL(name, FIXTURES))) }));
  return [{ name: `generated (${pages} pages)`, bytes: await generatedPdf(pages) }, ...real];
}
