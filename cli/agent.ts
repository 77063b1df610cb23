import { CommanderError } from 'commander';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.ts';
import { buildProgram } from './program.ts';

/** Runs the CLI and answers the exit code: 0 done, 1 failed, 2 usage. */
async function main(argv: string[]): Promise<number> {
  const program = buildProgram(argv);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message or the help already: --help and --version exit
      // with 0, a usage error (or a command group given no command) with 2.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const json = Boolean(program.opts().json);
    const known = error instanceof CliError ? error : undefined;
    const message = known
      ? known.message
      : `Unexpected error: ${(error as Error)?.stack ?? String(error)}`;
    if (json) {
      const body = {
        error: { code: known?.code ?? 'internal', message, status: known?.status ?? null },
      };
      process.stderr.write(`${JSON.stringify(body)}\n`);
    } else {
      process.stderr.write(`error: ${message}\n`);
    }
    return known?.exitCode ?? EXIT_FAILURE;
  }
}

// A reader that stops early (`agent docs ls | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT_OK);
  throw error;
});

const code = await main(process.argv);
// Leave at once: idle keep-alive sockets would otherwise hold the process open.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
