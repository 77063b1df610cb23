/**
 * Assembles `shared/knowledge/index/int8-dot.wat` and writes its bytes, base64, into
 * `shared/knowledge/index/int8-dot-kernel.ts`. Run after editing the .wat:
 *
 *   node bench/search/build-kernel.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import wabt from 'wabt';

const folder = new URL('../../shared/knowledge/index/', import.meta.url);
const source = await readFile(new URL('int8-dot.wat', folder), 'utf8');
const toolkit = await wabt();
const module = toolkit.parseWat('int8-dot.wat', source, { simd: true });
const { buffer } = module.toBinary({});
module.destroy();
const base64 = Buffer.from(buffer).toString('base64');
const target = new URL('int8-dot-kernel.ts', folder);
const current = await readFile(target, 'utf8');
const next = current.replace(
  /const KERNEL_BASE64 =\s*'[^']*';/,
  `const KERNEL_BASE64 =\n  '${base64}';`,
);
await writeFile(target, next);
console.log(`int8-dot kernel: ${buffer.length} bytes`);
