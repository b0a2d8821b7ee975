/**
 * Distance-based models: k nearest neighbours, k-means, Gaussian naive Bayes. Each per-row sum
 * over features is added in the app's order, one feature column at a time (affine.ts explains
 * why), so distances — and therefore neighbours and clusters — are the app's exactly.
 */
import type { KnnState } from '../../../ml/learners/knn.ts';
import type { KmeansState } from '../../../ml/learners/kmeans.ts';
import type { GaussianNbState } from '../../../ml/learners/naive-bayes.ts';
import { int, tensor, type OnnxGraph } from '../graph.ts';
import { rowSumInOrder } from './affine.ts';
import { argmaxFirst, softmaxAsApp } from './classify.ts';
import type { EstimatorEmitter } from './types.ts';

/**
 * [N, K] = Σ_j term(x_j − C[:, j]) over features in order, C given row-major K × p and x_j the
 * [N, 1] feature columns. `term` maps the [N, K] difference to what is summed.
 */
function sumOverFeatures(g: OnnxGraph, columns: string[], C: ArrayLike<number>, K: number, term: (diff: string, j: number) => string, reverse = false): string {
  const p = columns.length;
  let acc: string | null = null;
  for (let j = 0; j < p; j++) {
    const cj = g.constant(tensor.double(Array.from({ length: K }, (_, c) => C[c * p + j]), [1, K]), 'centre');
    // reverse: the app subtracts the query from the stored row (a sign flip, squared away, but kept)
    const diff = reverse ? g.op('Sub', [cj, columns[j]]) : g.op('Sub', [columns[j], cj]);
    const t = term(diff, j);
    acc = acc === null ? t : g.op('Add', [acc, t]);
  }
  return acc!;
}

const square = (g: OnnxGraph) => (d: string) => g.op('Mul', [d, d]);

export const emitKnn: EstimatorEmitter = (g, input, model) => {
  const s = model.estimator.state as KnnState;
  const k = s.nNeighbors;
  const dist2 = sumOverFeatures(g, input.columns, s.X, s.rows, square(g), true); // [N, rows]
  // nearest first; equal distances keep the earlier training row first (ONNX TopK's rule and the app's)
  const [best, idx] = g.node('TopK', [dist2, g.constant(tensor.int64([k]), 'k')], { axis: int(1), largest: int(0), sorted: int(1) }, { outputs: 2 });
  let w: string;
  const one = g.scalar(1);
  if (s.weights === 'uniform') w = g.op('Where', [g.op('IsNaN', [best]), one, one]);
  else {
    const d = g.op('Sqrt', [best]);
    const isZero = g.op('Equal', [best, g.scalar(0)]);
    const exactRow = g.op('Greater', [g.reduce('ReduceMax', g.cast(isZero, 'double'), 1, true), g.scalar(0)]);
    w = g.op('Where', [exactRow, g.cast(g.op('Equal', [d, g.scalar(0)]), 'double'), g.op('Div', [one, d])]);
  }
  if (s.sampleWeight) w = g.op('Mul', [w, g.op('Gather', [g.constant(tensor.double(s.sampleWeight), 'sample_weight'), idx], { axis: int(0) })]);
  const y = g.op('Gather', [g.constant(tensor.double(s.y), 'train_y'), idx], { axis: int(0) }); // [N, k]
  const total = rowSumInOrder(g, w, k);
  if (s.nClasses === 0) return { value: g.op('Div', [rowSumInOrder(g, g.op('Mul', [w, y]), k), total]) };
  const K = s.nClasses;
  // votes[c] = Σ_t w_t·[y_t = c], neighbours in order (adding 0 for the other classes changes nothing)
  const hot = g.cast(g.op('Equal', [g.reshape(y, [-1, k, 1]), g.constant(tensor.double(Array.from({ length: K }, (_, c) => c), [1, 1, K]), 'classes')]), 'double');
  const weighted = g.op('Mul', [hot, g.reshape(w, [-1, k, 1])]); // [N, k, K]
  const votes = g.reshape(g.sumInOrder(g.split(weighted, 1, Array.from({ length: k }, () => 1))), [-1, K]);
  const proba = g.op('Where', [g.op('Greater', [total, g.scalar(0)]), g.op('Div', [votes, total]), g.scalar(1 / K)]);
  return { labelIndex: argmaxFirst(g, votes), proba };
};

export const emitKmeans: EstimatorEmitter = (g, input, model) => {
  const s = model.estimator.state as KmeansState;
  const dist2 = sumOverFeatures(g, input.columns, s.centers, s.nClusters, square(g));
  // first nearest centre (strict <); NaN never wins
  const masked = g.op('Where', [g.op('IsNaN', [dist2]), g.scalar(Infinity), dist2]);
  const cluster = g.op('ArgMin', [masked], { axis: int(1), keepdims: int(1), select_last_index: int(0) });
  return { cluster, distances: g.op('Sqrt', [dist2]) };
};

export const emitGaussianNb: EstimatorEmitter = (g, input, model) => {
  const s = model.estimator.state as GaussianNbState;
  const { nClasses: k, nFeatures: p, variance } = s;
  const logNorm = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let sum = 0;
    for (let j = 0; j < p; j++) sum += Math.log(2 * Math.PI * variance[c * p + j]);
    logNorm[c] = Math.log(s.classPrior[c]) - 0.5 * sum;
  }
  // Σ_j (x_j − θ_cj)² / σ²_cj, then jll = logNorm − 0.5·Σ
  const quad = sumOverFeatures(g, input.columns, s.theta, k, (d, j) =>
    g.op('Div', [g.op('Mul', [d, d]), g.constant(tensor.double(Array.from({ length: k }, (_, c) => variance[c * p + j]), [1, k]), 'var')]),
  );
  const jll = g.op('Sub', [g.constant(tensor.double(logNorm, [1, k]), 'log_norm'), g.op('Mul', [g.scalar(0.5), quad])]);
  return { labelIndex: argmaxFirst(g, jll), proba: softmaxAsApp(g, jll, k) };
};
