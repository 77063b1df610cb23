/**
 * Assembles the project's WebAssembly text files and writes each one's bytes, base64,
 * into the constant of its TypeScript module. Run after editing a .wat:
 *
 *   node scripts/build-wasm.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import wabt from 'wabt';

const MODULES = [
  {
    source: 'shared/knowledge/index/int8-dot.wat',
    target: 'shared/knowledge/index/int8-dot-kernel.ts',
    constant: 'KERNEL_BASE64',
  },
  {
    source: 'shared/platform/redis/base64-decode.wat',
    target: 'shared/platform/redis/base64-decoder.ts',
    constant: 'DECODER_BASE64',
  },
];

const root = new URL('../', import.meta.url);
const toolkit = await wabt();
for (const { source, target, constant } of MODULES) {
  const text = await readFile(new URL(source, root), 'utf8');
  const module = toolkit.parseWat(source, text, { simd: true });
  const { buffer } = module.toBinary({});
  module.destroy();
  const base64 = Buffer.from(buffer).toString('base64');
  const file = new URL(target, root);
  const current = await readFile(file, 'utf8');
  const start = current.indexOf(`const ${constant} =`);
  const end = current.indexOf("';", current.indexOf("'", start) + 1);
  if (start < 0 || end < 0) throw new Error(`${target} has no ${constant} to replace`);
  const replaced = `const ${constant} =\n  '${base64}';`;
  await writeFile(file, current.slice(0, start) + replaced + current.slice(end + 2));
  console.log(`${source}: ${buffer.length} bytes`);
}
