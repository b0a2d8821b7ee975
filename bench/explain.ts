/**
 * TreeSHAP benchmark: our exact TreeSHAP against XGBoost's own (pred_contribs), on the very same
 * trees, in one run, at the same thread count.
 *
 *   npx tsx bench/explain.ts [--threads 2] [--skip-scale]
 *
 * 1. Speed: XGBoost (python3-xgboost 1.7, nthread = threads) trains 100 trees of depth 6 on
 *    5,000 × 20 float32 rows; we load its trees (test/support/xgboost.ts) and time TreeSHAP of
 *    1,000 rows split over `threads` worker threads (the Explain node's way: the executor's worker
 *    pool, explain.rows tasks), beside XGBoost's pred_contribs on the same rows. Best of 5 each,
 *    after a warm-up. Target: ours ≤ 2 × XGBoost's. The largest |Δφ| between the two is printed
 *    too (float32 in XGBoost).
 * 2. Scale: 1,000 trees of depth 6 (trained on 2,000 rows) explaining 10,000 rows: both times,
 *    and peak RSS of each process (ours: the whole process, worker threads included).
 */
import { availableParallelism, loadavg } from 'node:os';
import { WorkerPool } from '../core/exec/worker-pool.ts';
import { WORKER_TASKS } from '../core/host/worker-tasks.ts';
import { explainRowsTask, type AttributionJob, type AttributionResult } from '../core/ml/explain/worker-tasks.ts';
import type { HgbState } from '../core/ml/learners/tree/hist-gradient-boosting.ts';
import type { Matrix } from '../core/ml/learners/types.ts';
import { Rng } from '../core/spec/random.ts';
import { probePython } from '../test/support/python-probe.ts';
import { xgboostContribs, type XgbResult } from '../test/support/xgboost.ts';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const THREADS = Number(arg('threads', '2'));
const COLS = 20;

if (!probePython().modules.xgboost) {
  console.error('bench/explain needs python3-xgboost (apt-get install python3-xgboost); nothing measured.');
  process.exit(1);
}

/** float32 rows (what XGBoost sees), a nonlinear binary target with interactions, 3% missing. */
function data(rows: number, seed: number): { X: Matrix; y: Float64Array } {
  const rng = new Rng(seed);
  const X = new Float64Array(rows * COLS);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < COLS; j++) X[i * COLS + j] = rng.next() < 0.03 ? NaN : Math.fround(rng.normal());
    const v = (j: number) => (Number.isNaN(X[i * COLS + j]) ? 0 : X[i * COLS + j]);
    y[i] = v(0) + v(1) * v(2) - Math.abs(v(3)) + 0.5 * Math.sin(3 * v(4)) + 0.3 * rng.normal() > 0 ? 1 : 0;
  }
  return { X: { data: X, rows, cols: COLS }, y };
}

/** XGBoost's trees as a boosting state our TreeSHAP reads (tree-view.ts). */
function stateOf(r: XgbResult): HgbState {
  return { task: 'binary', nClasses: 2, treesPerIteration: 1, baseline: [r.baseMargin], trees: r.trees, nIter: r.trees.length, validationLoss: [] };
}

const pool = new WorkerPool(WORKER_TASKS, THREADS);
const signal = new AbortController().signal;

/** TreeSHAP of X on `THREADS` workers, rows split in contiguous parts as explain.ts does. */
async function ourShap(state: HgbState, X: Matrix): Promise<Float64Array> {
  const parts = Math.min(THREADS, X.rows);
  const pieces = await Promise.all(Array.from({ length: parts }, (_, k) => {
    const from = Math.floor((k * X.rows) / parts);
    const to = Math.floor(((k + 1) * X.rows) / parts);
    const job: AttributionJob = { method: 'tree', kind: 'hist_gradient_boosting', task: 'binary', state, outputs: 1, X: { data: X.data.slice(from * COLS, to * COLS), rows: to - from, cols: COLS }, rowIds: [] };
    return pool.run(explainRowsTask, job, { signal });
  }));
  const out = new Float64Array(X.rows * COLS);
  pieces.reduce((at, p: AttributionResult) => (out.set(p.phi, at), at + p.phi.length), 0);
  return out;
}

async function best(n: number, fn: () => Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min / 1000;
}

const fmt = (s: number) => `${s.toFixed(3)} s`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

console.log(`bench/explain — ${availableParallelism()} cores, load ${loadavg()[0].toFixed(1)}, threads ${THREADS} (figures measured under whatever else runs)`);

// 1. speed, 100 trees depth 6, 1,000 rows
{
  const train = data(5000, 1);
  const rows = data(1000, 2);
  const r = xgboostContribs(train.X, train.y, rows.X, { objective: 'binary:logistic', max_depth: 6, eta: 0.1, nthread: THREADS, tree_method: 'hist', seed: 0 }, 100, 5);
  const state = stateOf(r);
  await ourShap(state, rows.X); // warm-up: workers started, modules loaded
  let phi: Float64Array = new Float64Array(0);
  const ours = await best(5, async () => (phi = await ourShap(state, rows.X)));
  let maxDiff = 0;
  (r.contribs as number[][]).forEach((c, i) => c.slice(0, COLS).forEach((v, f) => (maxDiff = Math.max(maxDiff, Math.abs(v - phi[i * COLS + f])))));
  const leaves = r.trees.reduce((s, t) => s + t.feature.filter((f) => f < 0).length, 0);
  console.log(`\nTreeSHAP, 1,000 rows × ${COLS} features, ${r.trees.length} trees of depth ≤ 6 (${leaves} leaves), ${THREADS} threads`);
  console.log(`  XGBoost pred_contribs (nthread ${THREADS})   ${fmt(r.contribSeconds)}`);
  console.log(`  Flowline TreeSHAP (${THREADS} workers)         ${fmt(ours)}   ratio ${(ours / r.contribSeconds).toFixed(2)}× (target ≤ 2×)`);
  console.log(`  largest |φ ours − φ XGBoost|              ${maxDiff.toExponential(2)}`);
}

// 2. scale, 1,000 trees depth 6, 10,000 rows
if (!process.argv.includes('--skip-scale')) {
  const train = data(2000, 3);
  const rows = data(10_000, 4);
  const r = xgboostContribs(train.X, train.y, rows.X, { objective: 'binary:logistic', max_depth: 6, eta: 0.05, nthread: THREADS, tree_method: 'hist', seed: 0, min_child_weight: 0 }, 1000, 1, false);
  const state = stateOf(r);
  const t0 = performance.now();
  const phi = await ourShap(state, rows.X);
  const ours = (performance.now() - t0) / 1000;
  let sum = 0;
  for (let i = 0; i < COLS; i++) sum += phi[i];
  const rss = process.resourceUsage().maxRSS;
  console.log(`\nScale: 10,000 rows × ${COLS} features, ${r.trees.length} trees of depth ≤ 6, ${THREADS} threads`);
  console.log(`  XGBoost pred_contribs                     ${fmt(r.contribSeconds)}   peak RSS ${mb(r.maxRssKb)} (the Python process, training included)`);
  console.log(`  Flowline TreeSHAP                         ${fmt(ours)}   peak RSS ${mb(rss)} (this process, workers included)   row 0 Σφ = ${sum.toFixed(4)}`);
}
await pool.close();
process.exit(0);
