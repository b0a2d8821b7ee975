import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { Rng, deriveSeed } from '../../spec/random.ts';
import { requireCols, requireFinite, weightsOf } from './check-input.ts';
import type { Learner, Matrix, Prediction } from './types.ts';

/**
 * k-means as scikit-learn 1.2's KMeans(algorithm='lloyd'): greedy k-means++ seeding
 * (2 + ⌊ln k⌋ candidates per centre), Lloyd iterations until the centres move less than
 * tol × the mean feature variance (squared, summed) or the labels stop changing, best of n_init
 * runs by inertia. Seeded by FitOptions.seed through our Rng, so reruns are bit-identical.
 */
export const kmeansParams = z.object({
  n_clusters: z.number().int().min(1).max(LIMITS.width).default(8).describe('Number of clusters (k)'),
  n_init: z.number().int().positive().max(LIMITS.restarts).default(10).describe('Runs with different seeds; the one with the lowest inertia is kept'),
  max_iter: z.number().int().positive().max(LIMITS.iterations).default(300).describe('Maximum Lloyd iterations per run'),
  tol: z.number().nonnegative().default(1e-4).describe('Relative tolerance on centre movement'),
});

export interface KmeansState {
  /** k × p cluster centres. */
  centers: Float64Array;
  nClusters: number;
  nFeatures: number;
  /** Sum of (weighted) squared distances of training rows to their centre. */
  inertia: number;
  iterations: number;
}

function sqDist(X: Float64Array, o: number, C: Float64Array, co: number, p: number): number {
  let d = 0;
  for (let j = 0; j < p; j++) {
    const t = X[o + j] - C[co + j];
    d += t * t;
  }
  return d;
}

/** Nearest centre per row; returns the (weighted) inertia. */
function assign(X: Float64Array, n: number, p: number, C: Float64Array, k: number, w: Float64Array, labels: Int32Array, dist: Float64Array): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const d = sqDist(X, i * p, C, c * p, p);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    labels[i] = best;
    dist[i] = bestD;
    inertia += w[i] * bestD;
  }
  return inertia;
}

/** Pick an index with probability proportional to weights[i] (total = their sum). */
function sampleIndex(rng: Rng, weights: Float64Array, total: number): number {
  const r = rng.next() * total;
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i];
    if (acc > r) return i;
  }
  return weights.length - 1;
}

function kmeansPlusPlus(X: Float64Array, n: number, p: number, k: number, w: Float64Array, rng: Rng): Float64Array {
  const C = new Float64Array(k * p);
  const trials = 2 + Math.floor(Math.log(k));
  let wSum = 0;
  for (let i = 0; i < n; i++) wSum += w[i];
  const first = sampleIndex(rng, w, wSum);
  C.set(X.subarray(first * p, first * p + p), 0);
  const closest = new Float64Array(n);
  const weighted = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(X, i * p, C, 0, p);
    pot += (weighted[i] = closest[i] * w[i]);
  }
  const cand = new Float64Array(n);
  const bestCand = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPot = Infinity;
    let bestIdx = 0;
    for (let t = 0; t < trials; t++) {
      const idx = pot > 0 ? sampleIndex(rng, weighted, pot) : rng.int(n);
      let candPot = 0;
      for (let i = 0; i < n; i++) {
        const d = Math.min(closest[i], sqDist(X, i * p, X, idx * p, p));
        cand[i] = d;
        candPot += d * w[i];
      }
      if (candPot < bestPot) {
        bestPot = candPot;
        bestIdx = idx;
        bestCand.set(cand);
      }
    }
    C.set(X.subarray(bestIdx * p, bestIdx * p + p), c * p);
    closest.set(bestCand);
    pot = 0;
    for (let i = 0; i < n; i++) pot += (weighted[i] = closest[i] * w[i]);
  }
  return C;
}

function lloyd(X: Float64Array, n: number, p: number, k: number, w: Float64Array, C: Float64Array, maxIter: number, tolAbs: number) {
  const labels = new Int32Array(n);
  const prev = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const sums = new Float64Array(k * p);
  const wsum = new Float64Array(k);
  let iterations = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    assign(X, n, p, C, k, w, labels, dist);
    let same = true;
    for (let i = 0; i < n; i++) if (labels[i] !== prev[i]) same = false;
    if (same) break;
    prev.set(labels);
    sums.fill(0);
    wsum.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      wsum[c] += w[i];
      for (let j = 0; j < p; j++) sums[c * p + j] += w[i] * X[i * p + j];
    }
    // An empty cluster takes the row farthest from its centre (as sklearn relocates them).
    for (let c = 0; c < k; c++) {
      if (wsum[c] > 0) continue;
      let far = 0;
      for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
      dist[far] = 0;
      wsum[c] = 1;
      for (let j = 0; j < p; j++) sums[c * p + j] = X[far * p + j];
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < p; j++) {
        const v = sums[c * p + j] / wsum[c];
        shift += (v - C[c * p + j]) ** 2;
        C[c * p + j] = v;
      }
    }
    if (shift <= tolAbs) break;
  }
  const inertia = assign(X, n, p, C, k, w, labels, dist);
  return { inertia, iterations };
}

export const kmeans: Learner<typeof kmeansParams, KmeansState> = {
  kind: 'kmeans',
  title: 'k-means clustering',
  tasks: ['clustering'],
  params: kmeansParams,
  fit(data, params, options) {
    requireFinite(data.X, data.featureNames, 'k-means');
    const { data: X, rows: n, cols: p } = data.X;
    const w = weightsOf(data);
    const k = Math.min(params.n_clusters, n);
    // sklearn's tol is relative to the mean per-feature variance.
    let meanVar = 0;
    for (let j = 0; j < p; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += X[i * p + j];
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (X[i * p + j] - m) ** 2;
      meanVar += v / n;
    }
    const tolAbs = p > 0 ? (params.tol * meanVar) / p : 0;
    let best: KmeansState | null = null;
    for (let r = 0; r < params.n_init; r++) {
      options.checkCancelled?.();
      const rng = new Rng(deriveSeed(options.seed, `kmeans-init-${r}`));
      const C = kmeansPlusPlus(X, n, p, k, w, rng);
      const res = lloyd(X, n, p, k, w, C, params.max_iter, tolAbs);
      if (!best || res.inertia < best.inertia) best = { centers: C, nClusters: k, nFeatures: p, inertia: res.inertia, iterations: res.iterations };
      options.progress?.((r + 1) / params.n_init);
    }
    return best!;
  },
  predict(state, X: Matrix): Prediction {
    requireCols(X, state.nFeatures, 'k-means');
    const n = X.rows;
    const labels = new Int32Array(n);
    assign(X.data, n, state.nFeatures, state.centers, state.nClusters, new Float64Array(n).fill(1), labels, new Float64Array(n));
    return { values: Float64Array.from(labels) };
  },
};
