import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { nClassesOf, requireCols, requireFinite, requireTarget, weightsOf } from './check-input.ts';
import type { Learner, Matrix, Prediction } from './types.ts';

/**
 * k nearest neighbours as scikit-learn 1.2's KNeighborsClassifier / KNeighborsRegressor with the
 * euclidean metric: exact distances by brute force in blocks of query rows (a few thousand
 * training rows answer in well under a second). Ties in distance go to the earlier training row;
 * ties in the vote go to the lowest class index, as sklearn's mode does.
 */
export const knnParams = z.object({
  n_neighbors: z.number().int().positive().max(LIMITS.width).default(5).describe('Number of neighbours (k)'),
  weights: z.enum(['uniform', 'distance']).default('uniform').describe("'uniform', or 'distance' (closer neighbours count more, 1/d)"),
});

export interface KnnState {
  /** The training rows themselves: kNN keeps its data. */
  X: Float64Array;
  y: Float64Array;
  /** Training sample weights (multiply each neighbour's vote); null when all are 1. */
  sampleWeight: Float64Array | null;
  rows: number;
  nFeatures: number;
  /** 0 for regression. */
  nClasses: number;
  nNeighbors: number;
  weights: 'uniform' | 'distance';
}

/** For each query row, the k nearest training rows (indices and squared distances), nearest first. */
export function nearest(state: KnnState, Q: Matrix, k: number): { index: Int32Array; dist2: Float64Array } {
  const { X, rows: n, nFeatures: p } = state;
  const m = Q.rows;
  const index = new Int32Array(m * k);
  const dist2 = new Float64Array(m * k);
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  // Distances for four query rows at a time: each training value is loaded once for all four.
  const D = new Float64Array(4 * n);
  const q = Q.data;
  for (let q0 = 0; q0 < m; q0 += 4) {
    const nq = Math.min(4, m - q0);
    if (nq === 4) {
      const a0 = q0 * p;
      const a1 = a0 + p;
      const a2 = a1 + p;
      const a3 = a2 + p;
      for (let i = 0; i < n; i++) {
        const o = i * p;
        let d0 = 0;
        let d1 = 0;
        let d2 = 0;
        let d3 = 0;
        for (let j = 0; j < p; j++) {
          const x = X[o + j];
          const t0 = x - q[a0 + j];
          const t1 = x - q[a1 + j];
          const t2 = x - q[a2 + j];
          const t3 = x - q[a3 + j];
          d0 += t0 * t0;
          d1 += t1 * t1;
          d2 += t2 * t2;
          d3 += t3 * t3;
        }
        D[i] = d0;
        D[n + i] = d1;
        D[2 * n + i] = d2;
        D[3 * n + i] = d3;
      }
    } else {
      for (let b = 0; b < nq; b++) {
        const a = (q0 + b) * p;
        for (let i = 0; i < n; i++) {
          const o = i * p;
          let d = 0;
          for (let j = 0; j < p; j++) {
            const t = X[o + j] - q[a + j];
            d += t * t;
          }
          D[b * n + i] = d;
        }
      }
    }
    for (let b = 0; b < nq; b++) {
      let filled = 0;
      const off = b * n;
      for (let i = 0; i < n; i++) {
        const d = D[off + i];
        if (filled === k && d >= bestD[k - 1]) continue;
        // Insert, keeping the list sorted; equal distances stay after earlier rows.
        let pos = filled < k ? filled++ : k - 1;
        while (pos > 0 && bestD[pos - 1] > d) {
          bestD[pos] = bestD[pos - 1];
          bestI[pos] = bestI[pos - 1];
          pos--;
        }
        bestD[pos] = d;
        bestI[pos] = i;
      }
      index.set(bestI.subarray(0, k), (q0 + b) * k);
      dist2.set(bestD.subarray(0, k), (q0 + b) * k);
    }
  }
  return { index, dist2 };
}

export const knn: Learner<typeof knnParams, KnnState> = {
  kind: 'knn',
  title: 'k nearest neighbours',
  tasks: ['binary', 'multiclass', 'regression'],
  params: knnParams,
  fit(data, params, options) {
    requireFinite(data.X, data.featureNames, 'k nearest neighbours');
    const classification = options.task === 'binary' || options.task === 'multiclass';
    const y = requireTarget(data, classification, 'k nearest neighbours');
    const sw = data.sampleWeight ? Float64Array.from(weightsOf(data)) : null;
    return {
      X: Float64Array.from(data.X.data),
      y: Float64Array.from(y),
      sampleWeight: sw,
      rows: data.X.rows,
      nFeatures: data.X.cols,
      nClasses: classification ? nClassesOf(data) : 0,
      nNeighbors: Math.min(params.n_neighbors, data.X.rows),
      weights: params.weights,
    };
  },
  predict(state, X): Prediction {
    requireCols(X, state.nFeatures, 'k nearest neighbours');
    const k = state.nNeighbors;
    const { index, dist2 } = nearest(state, X, k);
    const m = X.rows;
    const K = state.nClasses;
    const values = new Float64Array(m);
    const proba = K > 0 ? new Float64Array(m * K) : undefined;
    const w = new Float64Array(k);
    for (let q = 0; q < m; q++) {
      // Neighbour weights: 1, or 1/d with exact matches taking all the weight (as sklearn).
      let exact = false;
      for (let t = 0; t < k; t++) if (dist2[q * k + t] === 0) exact = true;
      for (let t = 0; t < k; t++) {
        const d = Math.sqrt(dist2[q * k + t]);
        w[t] = state.weights === 'uniform' ? 1 : exact ? (d === 0 ? 1 : 0) : 1 / d;
        if (state.sampleWeight) w[t] *= state.sampleWeight[index[q * k + t]];
      }
      if (proba) {
        let total = 0;
        for (let t = 0; t < k; t++) {
          proba[q * K + state.y[index[q * k + t]]] += w[t];
          total += w[t];
        }
        let best = 0;
        for (let c = 0; c < K; c++) {
          if (proba[q * K + c] > proba[q * K + best]) best = c;
        }
        for (let c = 0; c < K; c++) proba[q * K + c] = total > 0 ? proba[q * K + c] / total : 1 / K;
        values[q] = best;
      } else {
        let s = 0;
        let total = 0;
        for (let t = 0; t < k; t++) {
          s += w[t] * state.y[index[q * k + t]];
          total += w[t];
        }
        values[q] = s / total;
      }
    }
    return { values, proba };
  },
};
