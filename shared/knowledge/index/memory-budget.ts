/**
 * How many chunks a container can keep in memory, from the function's memory size.
 *
 * Measured (`npm run bench:search`, 512 dimensions): about 185 MiB per 100k chunks once
 * loaded, up to twice that for a moment while the arrays grow, so 2.4 KiB per chunk is
 * budgeted; about 250 MiB stays for the runtime, the request and GC headroom.
 */
const RUNTIME_RESERVE_MIB = 250;
const BYTES_PER_CHUNK = 2.4 * 1024;
/** The least budget, so a small function can still serve a small knowledge base. */
const MIN_CHUNKS = 10_000;

/** Chunk budget for a function of `memoryMib` MiB (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`). */
export function chunkBudgetForMemory(memoryMib: number): number {
  const spare = (memoryMib - RUNTIME_RESERVE_MIB) * 1024 * 1024;
  return Math.max(MIN_CHUNKS, Math.floor(spare / BYTES_PER_CHUNK));
}
