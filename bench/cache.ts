/**
 * Issue 2's spine, measured: `flowline run` on load 1M-row CSV → filter → SQL aggregate → write
 * Parquet, three times through the real CLI (a fresh process each): cold, unchanged (every node
 * should be `cached`, target < 20% of the cold time), and with the filter changed (only the filter
 * and what follows should re-run).   npx tsx bench/cache.ts [rows]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureMixedCsv } from './support/datasets.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = join(import.meta.dirname, '.data', 'cache-bench');
mkdirSync(dir, { recursive: true });
const csv = await ensureMixedCsv(join(import.meta.dirname, '.data', `mixed-${rows}.csv`), rows);
const file = join(dir, 'aggregate.flow.json');
writeFileSync(
  file,
  JSON.stringify({
    format: 'flowline.pipeline',
    version: 1,
    name: 'aggregate 1M rows',
    nodes: [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: csv } },
      { id: 'filter', type: 'data.filter_rows', version: 1, params: { condition: 'x4 > 0' } },
      { id: 'agg', type: 'data.sql', version: 1, params: { query: 'SELECT color, size, count(*) AS n, avg(x5) AS mean_x5, sum(n2) AS total_n2 FROM input1 GROUP BY ALL ORDER BY ALL' } },
      { id: 'write', type: 'data.write_parquet', version: 1, params: { path: 'summary.parquet' } },
    ],
    edges: [
      { from: 'load.table', to: 'filter.table' },
      { from: 'filter.table', to: 'agg.tables' },
      { from: 'agg.table', to: 'write.table' },
    ],
  }),
);
rmSync(join(dir, '.flowline'), { recursive: true, force: true });

const cli = join(import.meta.dirname, '..', 'bin', 'flowline.js');
function run(label: string, extra: string[] = []) {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [cli, 'run', file, '--json', ...extra], { encoding: 'utf8' });
  const wall = performance.now() - t0;
  const report = JSON.parse(out) as { durationMs: number; nodes: { id: string; status: string; durationMs: number }[] };
  return { label, wall, run: report.durationMs, statuses: report.nodes.map((n) => `${n.id}:${n.status}`).join(' '), nodes: report.nodes };
}

// A source edit makes the next `flowline` rebuild its bundle (dev/source-bundle.mjs, ~0.7 s):
// do that now, so "cold" means a cold pipeline cache, not a cold bundle. Then time bare start-up.
execFileSync(process.execPath, [cli, 'help']);
const startup = [0, 1, 2].map(() => {
  const t0 = performance.now();
  execFileSync(process.execPath, [cli, 'help']);
  return performance.now() - t0;
});

const cold = run('cold');
const warm = run('unchanged');
const changed = run('filter changed', ['--set', 'filter.condition=x4 > 1']);
console.log(`\nflowline run, ${rows.toLocaleString()}-row CSV → filter → SQL aggregate → Parquet (fresh process each)\n`);
console.log('run              pipeline ms   process ms   statuses');
for (const r of [cold, warm, changed]) console.log(`${r.label.padEnd(16)} ${String(Math.round(r.run)).padStart(11)} ${String(Math.round(r.wall)).padStart(12)}   ${r.statuses}`);
console.log(`\nunchanged / cold: pipeline ${((warm.run / cold.run) * 100).toFixed(1)}%, whole process ${((warm.wall / cold.wall) * 100).toFixed(1)}% (target < 20%)`);
console.log(`start-up (flowline help): ${startup.map((ms) => Math.round(ms)).join(', ')} ms`);
console.log('cold per node:', cold.nodes.map((n) => `${n.id} ${n.durationMs} ms`).join(', '));
