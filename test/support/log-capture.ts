import { afterAll, beforeAll } from 'vitest';

/** Collects everything written to stdout and stderr during a test file (where logs go). */
export function captureLogs(): { text(): string } {
  const chunks: string[] = [];
  const originalOut = process.stdout.write.bind(process.stdout);
  const originalErr = process.stderr.write.bind(process.stderr);
  beforeAll(() => {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      chunks.push(String(chunk));
      return originalOut(chunk, ...rest);
    }) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      chunks.push(String(chunk));
      return originalErr(chunk, ...rest);
    }) as typeof process.stderr.write;
  });
  afterAll(() => {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
  });
  return { text: () => chunks.join('') };
}
