/**
 * One engine of the PDF engine benchmark, in a process of its own (started by
 * `pdf-engines.ts`' runner, `compare-engines.ts`): loads the engine, extracts every
 * benchmark PDF once to warm up, then `runs` more times, and prints one JSON line per file.
 *
 *   node bench/ingest/pdf-engine-probe.ts <engine> <runs>
 */
import { benchmarkPdfs } from './benchmark-pdfs.ts';
import { PDF_ENGINES } from './pdf-engines.ts';

const [name, runsArgument] = process.argv.slice(2);
const engine = PDF_ENGINES.find((candidate) => candidate.name === name);
if (!engine) throw new Error(`unknown engine ${name}`);
const runs = Number(runsArgument ?? 5);

const loadStarted = performance.now();
const extract = await engine.load();
const loadMs = performance.now() - loadStarted;

for (const file of await benchmarkPdfs()) {
  try {
    const pages = await extract(file.bytes);
    const samples: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const started = performance.now();
      await extract(file.bytes);
      samples.push(performance.now() - started);
    }
    // Compared as the extractor keeps text: NFC, whitespace aside.
    const characters = [...pages.join('').normalize('NFC').replace(/\s+/g, '')];
    const histogram: Record<string, number> = {};
    for (const character of characters) histogram[character] = (histogram[character] ?? 0) + 1;
    console.log(
      JSON.stringify({
        file: file.name,
        pages: pages.length,
        characters: characters.length,
        histogram,
        samplesMs: samples,
        loadMs,
      }),
    );
  } catch (error) {
    console.log(JSON.stringify({ file: file.name, error: String(error), loadMs }));
  }
}
