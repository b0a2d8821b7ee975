/**
 * The background KernelSHAP and LIME compare a row against. Its size multiplies their cost, so a
 * large one is summarised: by k-means centres weighted by their cluster's rows, each coordinate
 * rounded to the nearest value the column really takes (as shap.kmeans does, so a one-hot
 * column stays 0 or 1), or by a seeded sample of rows.
 */
import { kmeans } from '../learners/kmeans.ts';
import type { KmeansState } from '../learners/kmeans.ts';
import type { Matrix } from '../learners/types.ts';
import { Rng } from '../../spec/random.ts';
import type { Background } from './kernel-shap.ts';

export type BackgroundSummary = 'kmeans' | 'sample';

function selectRows(B: Matrix, rows: ArrayLike<number>): Matrix {
  const data = new Float64Array(rows.length * B.cols);
  for (let i = 0; i < rows.length; i++) data.set(B.data.subarray(rows[i] * B.cols, (rows[i] + 1) * B.cols), i * B.cols);
  return { data, rows: rows.length, cols: B.cols };
}

/** Nearest value of a sorted column (typed-array sort: numeric). */
function nearest(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && v - sorted[lo - 1] <= sorted[lo] - v ? sorted[lo - 1] : sorted[lo];
}

export function summariseBackground(B: Matrix, size: number, how: BackgroundSummary, seed: number): { background: Background; note: string } {
  if (B.rows <= size) return { background: { X: B, weights: new Float64Array(B.rows).fill(1) }, note: `background: all ${B.rows} rows` };
  const hasMissing = B.data.includes(NaN);
  if (how === 'sample' || hasMissing) {
    const pick = new Rng(seed).permutation(B.rows).slice(0, size).sort();
    const why = how === 'kmeans' ? ' (k-means needs complete rows; the background has missing values)' : '';
    return { background: { X: selectRows(B, pick), weights: new Float64Array(size).fill(1) }, note: `background: a seeded sample of ${size} of ${B.rows} rows${why}` };
  }
  const state = kmeans.fit({ X: B, featureNames: [] }, kmeans.params.parse({ n_clusters: size, n_init: 1 }), { task: 'clustering', seed }) as KmeansState;
  const labels = kmeans.predict(state, B).values;
  const k = state.nClusters;
  const weights = new Float64Array(k);
  for (const c of labels) weights[c] += 1;
  const data = Float64Array.from(state.centers);
  for (let j = 0; j < B.cols; j++) {
    const col = Float64Array.from({ length: B.rows }, (_, i) => B.data[i * B.cols + j]).sort();
    for (let c = 0; c < k; c++) data[c * B.cols + j] = nearest(col, data[c * B.cols + j]);
  }
  // an empty cluster (possible with duplicate rows) carries no weight: drop it
  const keep = Array.from({ length: k }, (_, c) => c).filter((c) => weights[c] > 0);
  return {
    background: { X: selectRows({ data, rows: k, cols: B.cols }, keep), weights: Float64Array.from(keep, (c) => weights[c]) },
    note: `background: ${keep.length} k-means centres of ${B.rows} rows, weighted by their cluster's rows`,
  };
}
