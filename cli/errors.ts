/** Exit codes scripts can rely on: 0 done, 1 failed, 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A failure the CLI explains itself; its message says what to do about it. */
export class CliError extends Error {
  readonly exitCode: number;
  /** A stable identifier for scripts (`--json`): the API's error code, or the CLI's own. */
  readonly code: string;
  readonly status: number | undefined;

  constructor(
    message: string,
    options: { code: string; exitCode?: number; status?: number; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.code = options.code;
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
    this.status = options.status;
  }
}

/** The command line itself is wrong or incomplete (exit code 2). */
export class UsageError extends CliError {
  constructor(message: string, code = 'usage') {
    super(message, { code, exitCode: EXIT_USAGE });
    this.name = 'UsageError';
  }
}
