/**
 * Random forest memory and predict speed (issue 16), ours beside scikit-learn's on the same data
 * and forest config, in one run:
 *
 *   npx tsx bench/forest.ts [--rows 100000] [--trees 100] [--threads 2] [--skip-sklearn]
 *
 * Data: rows × 20 normal features, a binary target with interactions and noise (Bayes error
 * about 12%), so trees grow to full depth (scikit-learn's default: no depth limit, sqrt
 * features, bootstrap).
 * 1. Fit memory: the forest fitted in this thread; peak of live heap + array buffers above the
 *    level before the fit (garbage collected, then sampled after every tree), and the fitted model's bytes, each ÷ the training
 *    matrix (rows × 20 float64). Target: peak < 3 × the matrix. scikit-learn: its peak RSS growth
 *    over the fit (ru_maxrss), its trees' node and value arrays, and its pickle size.
 * 2. Predict: the fitted forest on the same number of fresh rows, one thread (learner.predict in
 *    this thread) and through the Predict node's path (predictInWorkers over the executor's worker
 *    pool, `threads` workers, warm: the model already shared and packed). Target: Predict node
 *    < 300 ms and never slower than one thread. scikit-learn's predict_proba with n_jobs 1 and
 *    `threads`, best of 3 each.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WorkerPool } from '../core/exec/worker-pool.ts';
import { WORKER_TASKS } from '../core/host/worker-tasks.ts';
import { learnerByKind } from '../core/ml/learners/index.ts';
import { fitRandomForest, type RandomForestState } from '../core/ml/learners/tree/random-forest.ts';
import { forestBytes, leafIndex, packStats } from '../core/ml/learners/tree/flat-tree.ts';
import { sharedForestPack, sharedPackProgress } from '../core/ml/learners/tree/packed-walk.ts';
import { WALK_LANES } from '../core/ml/learners/tree/tree-kernels.ts';
import type { Matrix } from '../core/ml/learners/types.ts';
import { predictInWorkers } from '../core/ml/model.ts';
import { sharedState } from '../core/ml/model-sharing.ts';
import { Rng } from '../core/spec/random.ts';
import { probePython } from '../test/support/python-probe.ts';
import { numberArg } from './support/bench-context.ts';

const ROWS = numberArg('rows', 100_000);
const TREES = numberArg('trees', 100);
const THREADS = numberArg('threads', 2);
const COLS = 20;
const SKLEARN = !process.argv.includes('--skip-sklearn');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function data(rows: number, seed: number): { X: Matrix; y: Float64Array } {
  const rng = new Rng(seed);
  const X = new Float64Array(rows * COLS);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < COLS; j++) X[i * COLS + j] = rng.normal();
    const v = (j: number) => X[i * COLS + j];
    y[i] = v(0) + v(1) * v(2) - Math.abs(v(3)) + 0.5 * Math.sin(3 * v(4)) + 0.5 * rng.normal() > 0 ? 1 : 0;
  }
  return { X: { data: X, rows, cols: COLS }, y };
}

const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
const ms = (t: number) => `${t.toFixed(0)} ms`;
const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');

/** Best wall time of n runs, and the CPU time (every thread of this process, workers included) of that run. */
async function best(n: number, fn: () => unknown): Promise<{ ms: number; cpu: number }> {
  let min = { ms: Infinity, cpu: 0 };
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const t = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (t < min.ms) min = { ms: t, cpu: (c.user + c.system) / 1000 };
  }
  return min;
}

console.log(`bench/forest: ${ROWS.toLocaleString('en')} rows x ${COLS}, ${TREES} full-depth trees, ${THREADS} predict workers; ${availableParallelism()} cores, load ${loadavg()[0].toFixed(1)} (measured under load when others run)`);
const train = data(ROWS, 1);
const fresh = data(ROWS, 2).X;
const matrixBytes = train.X.data.byteLength;

// ---- 1. fit memory (this thread)
gc();
const before = used();
const rssBefore = process.memoryUsage().rss;
let peak = before;
const t0 = performance.now();
const state: RandomForestState = fitRandomForest(
  { X: train.X, y: train.y, nClasses: 2, featureNames: Array.from({ length: COLS }, (_, j) => `x${j}`) },
  learnerByKind('random_forest').params.parse({ n_estimators: TREES }) as Parameters<typeof fitRandomForest>[1],
  // live memory after each tree (garbage collected first: what the fit holds, not what V8 has yet to free)
  { task: 'binary', seed: 1, progress: () => (gc(), (peak = Math.max(peak, used()))) },
);
const fitMs = performance.now() - t0;
peak = Math.max(peak, used());
const peakRss = process.resourceUsage().maxRSS * 1024 - rssBefore;
const modelBytes = forestBytes(state.trees);
const nodes = state.trees.reduce((n, t) => n + t.feature.length, 0);
// The layout before the compact one: feature, threshold, left, right, missing, cover and 2 values per node.
const oldLayoutBytes = nodes * (4 + 8 + 4 + 4 + 1 + 8 + 2 * 8);
const peakRatio = (peak - before) / matrixBytes;
console.log(`\nfit (one thread) ${ms(fitMs)}; matrix ${mb(matrixBytes)}; ${nodes.toLocaleString('en')} nodes`);
console.log(`  ours     peak heap+buffers above start ${mb(peak - before)} = ${peakRatio.toFixed(2)} x matrix  [target < 3 x: ${verdict(peakRatio < 3)}]; peak RSS growth ${mb(peakRss)}; model ${mb(modelBytes)} = ${(modelBytes / matrixBytes).toFixed(2)} x matrix (the per-node layout before: ${mb(oldLayoutBytes)} = ${(oldLayoutBytes / matrixBytes).toFixed(2)} x)`);

// ---- 2. predict
const learner = learnerByKind('random_forest');
const one = await best(3, () => learner.predict(state, fresh));
// The same walk on the shared copy a Predict worker gets: packed once, then kept (flat-tree.ts
// packedForests), so this is one thread's walk alone; the line above packs on every call.
const oneShared = sharedState(state);
learner.predict(oneShared, fresh);
const oneWarm = await best(3, () => learner.predict(oneShared, fresh));
const pool = new WorkerPool(WORKER_TASKS, THREADS);
const signal = new AbortController().signal;
const ctx = { runInWorker: <P, R>(task: Parameters<typeof pool.run<P, R>>[0], payload: P) => pool.run(task, payload, { signal }) };
const c0 = performance.now();
const viaNode = await predictInWorkers(ctx, 'random_forest', state, fresh, THREADS);
const coldMs = performance.now() - c0;
const warm = await best(3, () => predictInWorkers(ctx, 'random_forest', state, fresh, THREADS));
await pool.close();
const whole = learner.predict(state, fresh);
const same = Buffer.from(whole.proba!.buffer).equals(Buffer.from(viaNode.proba!.buffer));
console.log(`\npredict ${ROWS.toLocaleString('en')} rows`);
console.log(`  ours     one thread ${ms(one.ms)} (CPU ${ms(one.cpu)}; packed once: ${ms(oneWarm.ms)}, CPU ${ms(oneWarm.cpu)}); Predict node (${THREADS} workers) warm ${ms(warm.ms)} (CPU of all threads ${ms(warm.cpu)}), first call ${ms(coldMs)}; same numbers: ${same}`);
{
  // The Predict node's packing: one shared memory for the model, packed by the workers together (packed-walk.ts).
  const pack = sharedForestPack(sharedState(state), fresh.data);
  const progress = pack ? sharedPackProgress(sharedState(state), pack) : null;
  console.log(`           packed for the walk: ${mb(packStats.bytes)}${progress ? `, one copy shared by the workers (${progress.packed} of ${TREES} trees packed, ${progress.claims - progress.packed} workers joined)` : ', not shared (no shared WebAssembly memory)'}`);
}
console.log(`           [target < 300 ms: ${verdict(warm.ms < 300)}]  [never slower than one thread: ${verdict(warm.ms <= one.ms)}; than one thread packed once: ${verdict(warm.ms <= oneWarm.ms)}]`);

// Where the walk's time goes: a row steps once per level down to its leaf, but the WebAssembly walk
// moves WALK_LANES rows together until the deepest of them is on a leaf (2 steps between checks).
{
  const sample = Math.min(fresh.rows, 10_000);
  let needed = 0;
  let taken = 0;
  for (const t of state.trees.slice(0, 10)) {
    const depth = new Int32Array(t.feature.length);
    for (let i = 0; i < t.feature.length; i++) if (t.feature[i] >= 0) depth[t.child[i]] = depth[t.child[i] + 1] = depth[i] + 1;
    for (let g = 0; g < sample; g += WALK_LANES) {
      let deepest = 0;
      for (let r = g; r < Math.min(sample, g + WALK_LANES); r++) {
        const d = depth[leafIndex(t, fresh.data, r * COLS)];
        needed += d;
        deepest = Math.max(deepest, d);
      }
      taken += WALK_LANES * 2 * Math.ceil(deepest / 2);
    }
  }
  console.log(`  walk     ${(needed / sample / 10).toFixed(1)} steps a row a tree (first 10 trees, ${sample.toLocaleString('en')} rows); the ${WALK_LANES}-lane walk takes ${(taken / needed).toFixed(2)} x that (lanes wait for the deepest row of their group)`);
}

// ---- scikit-learn, same data, same config
const SK = `
import sys, time, pickle, resource, numpy as np
from sklearn.ensemble import RandomForestClassifier
rows, cols, trees, threads = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(sys.argv[1] + '/x', dtype=np.float64).reshape(rows, cols)
y = np.fromfile(sys.argv[1] + '/y', dtype=np.float64)
F = np.fromfile(sys.argv[1] + '/f', dtype=np.float64).reshape(rows, cols)
rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
r0 = rss(); t = time.perf_counter()
m = RandomForestClassifier(n_estimators=trees, n_jobs=1, random_state=1).fit(X, y)
fit = (time.perf_counter() - t) * 1000; r1 = rss()
size = len(pickle.dumps(m, protocol=pickle.HIGHEST_PROTOCOL))
nodes = sum(e.tree_.node_count for e in m.estimators_)
arrays = sum(e.tree_.__getstate__()['nodes'].nbytes + e.tree_.__getstate__()['values'].nbytes for e in m.estimators_)
def best(n):
    b = 1e9
    for _ in range(3):
        t = time.perf_counter(); m.predict_proba(F); b = min(b, (time.perf_counter() - t) * 1000)
    return b
m.n_jobs = 1; one = best(3)
m.n_jobs = threads; par = best(3)
print(fit, r1 - r0, size, nodes, one, par, arrays)
`;
if (SKLEARN && probePython().modules.sklearn) {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-bench-forest-'));
  try {
    writeFileSync(join(dir, 'x'), train.X.data);
    writeFileSync(join(dir, 'y'), train.y);
    writeFileSync(join(dir, 'f'), fresh.data);
    const r = spawnSync(probePython().python ?? '/usr/bin/python3', ['-c', SK, dir, String(ROWS), String(COLS), String(TREES), String(THREADS)], { encoding: 'utf8' });
    if (r.status !== 0) console.log(`\nscikit-learn FAILED: ${r.stderr.trim().split('\n').pop()}`);
    else {
      const [fit, rss, size, skNodes, one, par, arrays] = r.stdout.trim().split(' ').map(Number);
      console.log(`\nscikit-learn 1.2 RandomForestClassifier(n_estimators=${TREES}), same data`);
      console.log(`  fit (n_jobs 1) ${ms(fit)}; peak RSS growth ${mb(rss)} = ${(rss / matrixBytes).toFixed(2)} x matrix; trees' arrays ${mb(arrays)} = ${(arrays / matrixBytes).toFixed(2)} x matrix, pickle ${mb(size)}; ${skNodes.toLocaleString('en')} nodes`);
      console.log(`  predict_proba n_jobs 1 ${ms(one)}, n_jobs ${THREADS} ${ms(par)}`);
      console.log(`\nratios: model bytes ours / scikit-learn's tree arrays ${(modelBytes / arrays).toFixed(2)}; Predict node / sklearn n_jobs ${THREADS} ${(warm.ms / par).toFixed(2)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else console.log(SKLEARN ? '\nscikit-learn: skipped, not installed (apt-get install python3-sklearn)' : '\nscikit-learn: skipped (--skip-sklearn)');
