/**
 * Where DuckDB spills what does not fit in its memory limit. Apart from engine.ts so that a host
 * can choose the place at start-up without loading DuckDB.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

/**
 * FLOWLINE_SPILL_DIR, which the hosts point at the cache folder (useSpillRoot): a spill then lands
 * on the disk that holds the cache, not in the system temp folder, often a RAM disk where spilling
 * frees no memory. Else the system temp folder. Read when a DuckDB instance starts (one per
 * process and worker thread; worker threads inherit the variable).
 */
export function spillRoot(): string {
  return process.env.FLOWLINE_SPILL_DIR || tmpdir();
}

/** Spill under `dir` (created now) in DuckDB instances started from now on, unless FLOWLINE_SPILL_DIR is already set. */
export function useSpillRoot(dir: string): void {
  if (process.env.FLOWLINE_SPILL_DIR) return;
  try {
    mkdirSync(dir, { recursive: true });
    process.env.FLOWLINE_SPILL_DIR = dir;
  } catch {
    // Not writable: the system temp folder it is.
  }
}
