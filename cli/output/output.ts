/**
 * Where a command's result goes: JSON on stdout with `--json` (for scripts), else the
 * human rendering. Notices and progress go to stderr so stdout stays the result.
 */
export class Output {
  readonly json: boolean;

  constructor(json: boolean) {
    this.json = json;
  }

  /** Prints `value` as JSON, or `human()` when not in JSON mode. */
  result(value: unknown, human: () => string): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else {
      const text = human();
      if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    }
  }

  notice(text: string): void {
    process.stderr.write(`${text}\n`);
  }
}
