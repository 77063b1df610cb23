import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { CliError } from '../errors.ts';

/** Asks a question on the terminal; with `hidden`, what is typed is not echoed. */
export async function ask(question: string, hidden = false): Promise<string> {
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({
    input: process.stdin,
    output: hidden ? muted : process.stderr,
    terminal: Boolean(process.stdin.isTTY),
  });
  // Asked only now that the terminal no longer echoes by itself (readline's raw mode).
  process.stderr.write(question);
  try {
    const answer = await rl.question('').catch((error: Error) => {
      // Ctrl-C at the prompt is the person changing their mind, not a failure to explain.
      if (error.name === 'AbortError')
        throw new CliError('Cancelled.', { code: 'cancelled', exitCode: 130 });
      throw error;
    });
    if (hidden) process.stderr.write('\n');
    return answer.trim();
  } finally {
    rl.close();
  }
}
