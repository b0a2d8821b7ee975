/**
 * Wide CSV benchmark: Load CSV on a 1,000-column file of 9 KB (two rows of small integers), beside
 * pandas read_csv on the same file in the same run. It took 23 s (a CASE per column to check
 * whole numbers, a 16 KB Parquet dictionary per column); the target is well under a second.
 *
 *   npx tsx bench/csv-wide.ts [--cols 1000] [--repeat 3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCsv } from '../core/data/csv.ts';
import { benchContext, numberArg } from './support/bench-context.ts';

const COLS = numberArg('cols', 1000);
const REPEAT = numberArg('repeat', 3);
const PYTHON = process.env.FLOWLINE_PYTHON ?? '/usr/bin/python3';

const dir = mkdtempSync(join(tmpdir(), 'flowline-bench-wide-'));
const csv = join(dir, 'wide.csv');
const line = (v: number) => Array.from({ length: COLS }, () => String(v)).join(',');
writeFileSync(csv, `${Array.from({ length: COLS }, (_, j) => `c${j}`).join(',')}\n${line(1)}\n${line(2)}\n`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours: number[] = [];
const pandas: number[] = [];
for (let r = 0; r < REPEAT; r++) {
  const t0 = performance.now();
  const t = await loadCsv(benchContext(dir), { path: 'wide.csv' });
  ours.push(performance.now() - t0);
  if (t.columns.length !== COLS) throw new Error(`read ${t.columns.length} columns`);
  const py = spawnSync(PYTHON, ['-c', `import time, pandas as pd\nt = time.perf_counter(); d = pd.read_csv(${JSON.stringify(csv)}); print((time.perf_counter() - t) * 1000, d.shape[1])`], { encoding: 'utf8' });
  if (py.status === 0) pandas.push(Number(py.stdout.split(' ')[0]));
}
console.log(`csv-wide: ${COLS} columns × 2 rows, ${statSync(csv).size.toLocaleString('en')} bytes; ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}; ${REPEAT} runs, median`);
console.log(`| load | ms |\n|---|---:|\n| flowline Load CSV | ${median(ours).toFixed(0)} |\n| pandas read_csv | ${pandas.length ? median(pandas).toFixed(0) : 'n/a (no python3-pandas)'} |`);
console.log(`all runs, flowline ms: ${ours.map((x) => x.toFixed(0)).join(', ')}`);
