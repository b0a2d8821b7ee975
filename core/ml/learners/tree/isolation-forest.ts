import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import type { FitData, FitOptions, FlatTree, Learner, Matrix, Prediction } from '../types.ts';
import { Rng, deriveSeed } from '../../../spec/random.ts';
import { FlatTreeBuilder, addForestPredictions } from './flat-tree.ts';
import { checkFitData } from './common.ts';

/**
 * Isolation forest (Liu et al. 2008) as scikit-learn 1.2's IsolationForest: each tree isolates a
 * subsample of max_samples rows with random features and uniform random thresholds, down to
 * depth ceil(log2(max_samples)). A leaf's value is its depth plus c(leaf rows), so the mean of
 * the trees' leaf values is the expected path length E[h(x)] directly.
 *
 * Prediction `values` is the ANOMALY SCORE 2^(−E[h]/c(ψ)) in (0, 1], higher = more anomalous
 * (it is −score_samples in scikit-learn). A row is an anomaly when its score > state.threshold
 * (= −offset_: 0.5 for contamination "auto", else the training-score quantile).
 * Missing values go right at every split (the learner picks thresholds from non-missing values).
 */
export const isolationForestParams = z.object({
  n_estimators: z.number().int().min(1).max(LIMITS.trees).default(100).describe('Number of trees.'),
  max_samples: z.union([z.literal('auto'), z.number().positive()]).default('auto').describe('Rows per tree: "auto" = min(256, rows), a fraction in (0, 1], or a count.'),
  contamination: z.union([z.literal('auto'), z.number().gt(0).max(0.5)]).default('auto').describe('Expected share of anomalies; sets the threshold ("auto": score 0.5, as the original paper).'),
});
export type IsolationForestParams = z.infer<typeof isolationForestParams>;

export interface IsolationForestState {
  task: 'anomaly';
  trees: FlatTree[];
  /** ψ, rows per tree: normalises path lengths. */
  maxSamples: number;
  /** Rows whose anomaly score is above this are anomalies. */
  threshold: number;
}

/** Average path length of an unsuccessful BST search among n points (sklearn _average_path_length). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649015329) - (2 * (n - 1)) / n;
}

function growIsolationTree(X: Matrix, sample: Uint32Array, maxDepth: number, rng: Rng): FlatTree {
  const { data, cols } = X;
  const b = new FlatTreeBuilder(1, 2 * sample.length);
  const idx = sample;
  const features = new Int32Array(cols);
  for (let f = 0; f < cols; f++) features[f] = f;
  const stack: number[] = [0, 0, idx.length, 0];
  b.addNode(idx.length);
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const stop = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;
    const n = stop - start;
    b.value[node] = depth + averagePathLength(n);
    if (depth >= maxDepth || n <= 1) continue;
    // Draw features without replacement until one is not constant on this node's rows.
    let feature = -1;
    let lo = 0;
    let hi = 0;
    for (let j = 0; j < cols && feature < 0; j++) {
      const pick = j + rng.int(cols - j);
      const f = features[pick];
      features[pick] = features[j];
      features[j] = f;
      let mn = Infinity;
      let mx = -Infinity;
      for (let i = start; i < stop; i++) {
        const v = data[idx[i] * cols + f];
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      if (mx > mn) {
        feature = f;
        lo = mn;
        hi = mx;
      }
    }
    if (feature < 0) continue;
    let thr = lo + rng.next() * (hi - lo);
    if (thr >= hi) thr = lo;
    // Partition in place (order inside a child does not matter here).
    let l = start;
    let r = stop - 1;
    while (l <= r) {
      if (data[idx[l] * cols + feature] <= thr) l++;
      else {
        const t = idx[l];
        idx[l] = idx[r];
        idx[r] = t;
        r--;
      }
    }
    const left = b.split(node, feature, thr, false, l - start, stop - l);
    stack.push(left + 1, l, stop, depth + 1);
    stack.push(left, start, l, depth + 1);
  }
  return b.finish();
}

export function fitIsolationForest(data: FitData, params: IsolationForestParams, options: FitOptions): IsolationForestState {
  checkFitData(data, options, false);
  const n = data.X.rows;
  let psi: number;
  if (params.max_samples === 'auto') psi = Math.min(256, n);
  else if (params.max_samples <= 1) psi = Math.max(1, Math.floor(params.max_samples * n));
  else psi = Math.min(n, Math.floor(params.max_samples));
  const maxDepth = Math.ceil(Math.log2(Math.max(psi, 2)));
  const trees: FlatTree[] = [];
  for (let t = 0; t < params.n_estimators; t++) {
    options.checkCancelled?.();
    const rng = new Rng(deriveSeed(options.seed, `isolation-${t}`));
    // Subsample without replacement: the first ψ of a partial Fisher–Yates shuffle.
    const perm = new Uint32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = 0; i < psi; i++) {
      const j = i + rng.int(n - i);
      const tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    trees.push(growIsolationTree(data.X, perm.slice(0, psi), maxDepth, rng));
    options.progress?.((t + 1) / params.n_estimators);
  }
  const state: IsolationForestState = { task: 'anomaly', trees, maxSamples: psi, threshold: 0.5 };
  if (params.contamination !== 'auto') {
    // sklearn: offset_ = percentile(score_samples(X), 100·contamination); our score is −score_samples.
    const scores = anomalyScores(state, data.X).slice().sort();
    state.threshold = percentileLinear(scores, 100 * (1 - params.contamination));
  }
  return state;
}

function percentileLinear(sorted: Float64Array, q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** 2^(−E[h(x)]/c(ψ)), i.e. −score_samples of scikit-learn: higher = more anomalous. */
export function anomalyScores(state: IsolationForestState, X: Matrix): Float64Array {
  const depth = new Float64Array(X.rows);
  addForestPredictions(state.trees, X, depth, 1, () => 0, 1 / state.trees.length);
  const c = averagePathLength(state.maxSamples);
  for (let i = 0; i < X.rows; i++) depth[i] = Math.pow(2, -depth[i] / (c > 0 ? c : 1));
  return depth;
}

/** scikit-learn's decision_function (negative = anomaly) and predict (1 = anomaly here). */
export function isolationForestDecision(state: IsolationForestState, X: Matrix): { decision: Float64Array; isAnomaly: Uint8Array } {
  const s = anomalyScores(state, X);
  const decision = new Float64Array(X.rows);
  const isAnomaly = new Uint8Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    decision[i] = state.threshold - s[i];
    isAnomaly[i] = decision[i] < 0 ? 1 : 0;
  }
  return { decision, isAnomaly };
}

export const isolationForest: Learner<typeof isolationForestParams, IsolationForestState> = {
  kind: 'isolation_forest',
  title: 'Isolation forest',
  tasks: ['anomaly'],
  params: isolationForestParams,
  fit: fitIsolationForest,
  predict: (state, X): Prediction => ({ values: anomalyScores(state, X) }),
};
