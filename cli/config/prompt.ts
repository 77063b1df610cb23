import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';

/** Asks a question on the terminal; with `hidden`, what is typed is not echoed. */
export async function ask(question: string, hidden = false): Promise<string> {
  process.stderr.write(question);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({
    input: process.stdin,
    output: hidden ? muted : process.stderr,
    terminal: Boolean(process.stdin.isTTY),
  });
  try {
    const answer = await rl.question('');
    if (hidden) process.stderr.write('\n');
    return answer.trim();
  } finally {
    rl.close();
  }
}
