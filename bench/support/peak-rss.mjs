// Preloaded (node --import) into a process a benchmark starts: at exit, write the process's peak
// resident memory (all threads, DuckDB's included), in bytes, to $FLOWLINE_BENCH_PEAK_RSS.
import { writeFileSync } from 'node:fs';

const file = process.env.FLOWLINE_BENCH_PEAK_RSS;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
