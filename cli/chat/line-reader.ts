import type { Interface } from 'node:readline';

const CONTINUE = '\\';
const BLOCK = '"""';

/**
 * Reads one message from the prompt. A line ending in `\` continues on the next line, and
 * a `"""` line starts a block that runs to the next `"""` line (for pasting). Resolves
 * `undefined` once input has ended.
 */
export class MessageReader {
  private readonly rl: Interface;
  private readonly lines: AsyncIterator<string>;
  private readonly prompts: boolean;

  constructor(rl: Interface, prompts: boolean) {
    this.rl = rl;
    this.lines = rl[Symbol.asyncIterator]();
    this.prompts = prompts;
  }

  async read(): Promise<string | undefined> {
    const parts: string[] = [];
    let block = false;
    for (;;) {
      this.prompt(parts.length === 0 && !block ? 'you> ' : '...> ');
      const next = await this.lines.next();
      if (next.done) return parts.length > 0 ? parts.join('\n') : undefined;
      const line = next.value;
      if (line.trim() === BLOCK) {
        if (block) return parts.join('\n');
        block = true;
      } else if (block) {
        parts.push(line);
      } else if (line.endsWith(CONTINUE)) {
        parts.push(line.slice(0, -CONTINUE.length));
      } else {
        parts.push(line);
        return parts.join('\n');
      }
    }
  }

  private prompt(text: string): void {
    if (!this.prompts) return;
    this.rl.setPrompt(text);
    this.rl.prompt();
  }
}
