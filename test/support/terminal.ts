import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/** What a program wrote to its terminal, when. */
export interface TerminalOutput {
  at: number;
  text: string;
}

export interface TerminalSession {
  /** Everything written so far, with terminal control sequences removed. */
  text(): string;
  chunks: readonly TerminalOutput[];
  /** Types into the terminal: `\r` is Enter, `\u0003` is Ctrl-C. */
  type(keys: string): void;
  /** Resolves once `pattern` appears in the output after `from` (an offset into `text()`). */
  waitFor(pattern: string | RegExp, from?: number, timeoutMs?: number): Promise<number>;
  /** The program's exit code. */
  exited: Promise<number | null>;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal control sequences are what it removes.
const CONTROL = /\u001b\[[0-9;?]*[A-Za-z]|\u001b[=>]|\r/g;

/**
 * Runs a command in a pseudo-terminal through util-linux `script` (no native module),
 * so the program sees a TTY on stdin and stdout as it would in a person's shell.
 */
export function runInTerminal(
  command: string[],
  env: Record<string, string>,
  cwd: string,
): TerminalSession {
  const line = command.map(shellQuote).join(' ');
  const child: ChildProcessWithoutNullStreams = spawn('script', ['-qfec', line, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', TERM: 'xterm', NO_COLOR: '1', ...env },
    cwd,
    stdio: 'pipe',
  });
  const chunks: TerminalOutput[] = [];
  let raw = '';
  const waiters = new Set<() => void>();
  const onData = (data: Buffer) => {
    const text = data.toString();
    raw += text;
    chunks.push({ at: Date.now(), text });
    for (const wake of waiters) wake();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const text = () => raw.replace(CONTROL, '');
  return {
    text,
    chunks,
    type(keys) {
      child.stdin.write(keys);
    },
    waitFor(pattern, from = 0, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const rest = text().slice(from);
          const index = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern);
          if (index === -1) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(from + index);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `waited ${timeoutMs} ms for ${String(pattern)}; the terminal shows:\n${text()}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    exited,
  };
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}
