/**
 * The worker queue's cost, measured: a 40-trial Tune (3 folds each: 120 fold fits + the refit) on
 * the local worker threads vs through Redis with two `flowline worker` processes on this same
 * machine (one thread each, so the cores are the same). Target: queue ≤ 1.2 × local. Also the
 * added wall time per job, which is what decides how the time scales with N machines.
 *
 *   npx tsx bench/distributed.ts [rows=20000] [redis://127.0.0.1:6379]
 *
 * Needs redis-server. Each run is a fresh store and --no-cache, so nothing is reused.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { main } from '../core/host/cli.ts';
import { WORKER_TASKS } from '../core/host/worker-tasks.ts';
import { NODES } from '../nodes/index.ts';
import { startQueueWorker, stopQueueWorker } from '../test/support/queue-worker.ts';
import { ensureMixedCsv } from './support/datasets.ts';

const rows = Number(process.argv[2] ?? 20_000);
const url = process.argv[3] ?? 'redis://127.0.0.1:6379';
const TRIALS = 40;
const dir = join(import.meta.dirname, '.data', 'distributed');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const csv = await ensureMixedCsv(join(import.meta.dirname, '.data', `mixed-${rows}.csv`), rows);
const file = join(dir, 'tune.flow.json');
writeFileSync(
  file,
  JSON.stringify({
    format: 'flowline.pipeline',
    version: 2,
    name: 'tune 40 trials',
    seed: 1,
    nodes: [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: csv } },
      { id: 'numeric', type: 'data.select_columns', version: 1, params: { columns: ['x4', 'x5', 'x6', 'x7', 'x8', 'x9', 'x10', 'n1', 'n2', 'n3', 'target'] } },
      { id: 'tune', type: 'ml.tune', version: 2, params: { target: 'target', learner: 'decision_tree', space: { max_depth: { int: [2, 12] }, min_samples_leaf: { int: [1, 50] } }, method: 'random', n_trials: TRIALS, folds: 3 } },
    ],
    edges: [
      { from: 'load.table', to: 'numeric.table' },
      { from: 'numeric.table', to: 'tune.table' },
    ],
  }),
);

const parts = { nodes: NODES, tasks: WORKER_TASKS };
const quiet = { stdout: devNull(), stderr: devNull() };

async function timed(args: string[]): Promise<number> {
  const t0 = performance.now();
  const code = await main(['run', file, '--json', '--no-cache', '--trust', ...args], parts, quiet);
  if (code !== 0) throw new Error(`flowline run ${args.join(' ')} exited ${code}`);
  return performance.now() - t0;
}

console.log(`bench/distributed: ${TRIALS}-trial Tune × 3 folds on ${rows.toLocaleString()} rows; ${availableParallelism()} cores, load ${loadavg()[0].toFixed(1)}`);
await timed([]); // warm-up: DuckDB, the learners, the thread pool
const local = Math.min(await timed([]), await timed([]));

const store = join(dir, 'store');
const workers = await Promise.all([startQueueWorker(url, store, 'bench'), startQueueWorker(url, store, 'bench')]);
await timed(['--queue', url, '--store', store, '--queue-name', 'bench']); // warm-up of the workers
rmSync(join(store, 'results'), { recursive: true, force: true }); // so the timed run computes every job again
const queued = await timed(['--queue', url, '--store', store, '--queue-name', 'bench']);
const jobs = readdirSync(join(store, 'results')).flatMap((d) => readdirSync(join(store, 'results', d))).length;
await Promise.all(workers.map((w) => stopQueueWorker(w.child)));

const ratio = queued / local;
const perJob = (queued - local) / jobs;
console.log(`  local worker threads (2):          ${local.toFixed(0)} ms`);
console.log(`  queue, 2 worker processes × 1:      ${queued.toFixed(0)} ms   (${jobs} jobs)`);
console.log(`  ratio queue / local:                ${ratio.toFixed(2)} × (target ≤ 1.2 ×: ${ratio <= 1.2 ? 'MET' : 'NOT MET'})`);
console.log(`  added wall time per job:            ${perJob.toFixed(1)} ms (Redis round trips + serialising payloads to the store)`);
console.log(`  N machines × 2 cores: ≈ ${local.toFixed(0)} / N + ${jobs} jobs × ${Math.max(perJob, 0).toFixed(1)} ms / (2N) of queue cost, while folds outnumber cores`);
process.exit(0);

function devNull(): NodeJS.WriteStream {
  return { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
}
