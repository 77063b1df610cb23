/**
 * Copies one data folder into a function's bundle. Run by the construct's `afterBundling`
 * hook: `node infra/bundling/copy-data-folder.ts <from> <to>`.
 */
import { copyDataFolder } from './data-folders.ts';

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: node infra/bundling/copy-data-folder.ts <from> <to>');
  process.exit(2);
}
copyDataFolder(from, to);
