// Preloaded (node --import) into a process a benchmark starts: at exit, write the process's peak
// resident memory (all threads, DuckDB's included), in bytes, to $FLOWLINE_BENCH_PEAK_RSS.
// With $FLOWLINE_BENCH_MEMORY_TRACE, also sample the main thread's memoryUsage() every 20 ms and
// write, as JSON, the highest of each field and the sample taken at the highest RSS (where the
// peak comes from: the main thread's ArrayBuffers, its heap, or the rest: workers and DuckDB), and
// the longest wait between two samples: the main thread busy that long (a peak reached then was
// not sampled, so the sample at the peak can miss it).
import { writeFileSync } from 'node:fs';

const file = process.env.FLOWLINE_BENCH_PEAK_RSS;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));

const trace = process.env.FLOWLINE_BENCH_MEMORY_TRACE;
if (trace) {
  const max = { rss: 0, arrayBuffers: 0, heapUsed: 0, external: 0 };
  let atPeak = null;
  const t0 = Date.now();
  let last = t0;
  const stall = { ms: 0, endedAtMs: 0 };
  const sample = () => {
    const now = Date.now();
    if (now - last > stall.ms) Object.assign(stall, { ms: now - last, endedAtMs: now - t0 });
    last = now;
    const m = process.memoryUsage();
    for (const k of Object.keys(max)) max[k] = Math.max(max[k], m[k]);
    if (!atPeak || m.rss >= atPeak.rss) atPeak = { rss: m.rss, arrayBuffers: m.arrayBuffers, heapUsed: m.heapUsed, external: m.external };
  };
  setInterval(sample, 20).unref();
  process.on('exit', () => {
    sample();
    writeFileSync(trace, JSON.stringify({ max, atPeak, stall }));
  });
}
