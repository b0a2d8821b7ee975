import { availableParallelism } from 'node:os';
import { rowWeights, sigmoid } from '../check-input.ts';
import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import type { FitData, FitOptions, FlatTree, Learner, Matrix, Prediction } from '../types.ts';
import { deriveSeed } from '../../../spec/random.ts';
import { HistGrower } from './hist-grower.ts';
import { addForestPredictions, addTreePredictions } from './flat-tree.ts';
import { argmaxRows, checkFitData, classWeightParam, isClassification, takeRows, takeValues, validationSplit } from './common.ts';

export const hgbParams = z.object({
  learning_rate: z.number().positive().default(0.1).describe('Shrinkage applied to every leaf value.'),
  max_iter: z.number().int().min(1).max(LIMITS.trees).default(100).describe('Boosting iterations (trees per class).'),
  max_leaf_nodes: z.number().int().min(2).max(LIMITS.leaves).nullable().default(31).describe('Leaves per tree (leaf-wise growth); empty = unlimited.'),
  max_depth: z.number().int().min(1).max(LIMITS.depth).nullable().default(null).describe('Depth limit per tree; empty = none.'),
  min_samples_leaf: z.number().int().min(1).default(20).describe('Fewest training rows in a leaf.'),
  l2_regularization: z.number().min(0).default(0).describe('L2 penalty on leaf values.'),
  max_bins: z.number().int().min(2).max(255).default(255).describe('Bins per feature (plus one for missing values).'),
  early_stopping: z.union([z.literal('auto'), z.boolean()]).default('auto').describe('Stop when the validation loss stops improving; "auto" = on above 10 000 rows.'),
  validation_fraction: z.number().gt(0).lt(1).default(0.1).describe('Share of training rows held out for early stopping (stratified).'),
  n_iter_no_change: z.number().int().min(1).max(LIMITS.trees).default(10).describe('Iterations without improvement before stopping.'),
  tol: z.number().min(0).default(1e-7).describe('Smallest improvement that counts.'),
  class_weight: classWeightParam,
});
export type HgbParams = z.infer<typeof hgbParams>;

export interface HgbState {
  task: 'binary' | 'multiclass' | 'regression';
  nClasses: number;
  /** Trees per iteration: 1, or k for multiclass (tree t predicts class t % k). */
  treesPerIteration: number;
  /** Raw score before any tree, one per tree slot. */
  baseline: number[];
  trees: FlatTree[];
  nIter: number;
  /** Loss after each iteration (index 0 = baseline) on the validation rows, when early stopping ran. */
  validationLoss: number[];
}

type Loss = 'squared_error' | 'log_loss' | 'multinomial';

export function fitHgb(data: FitData, params: HgbParams, options: FitOptions): HgbState {
  const K0 = checkFitData(data, options, true);
  const classify = isClassification(options.task);
  const loss: Loss = !classify ? 'squared_error' : K0 > 2 ? 'multinomial' : 'log_loss';
  const T = loss === 'multinomial' ? K0 : 1;
  const y = data.y!;
  const weights = rowWeights(data, data.y, classify ? K0 : 0, params.class_weight);
  const n = data.X.rows;
  const early = params.early_stopping === 'auto' ? n > 10_000 : params.early_stopping;
  let Xt: Matrix = data.X;
  let yt = y;
  let wt = weights;
  let Xv: Matrix | null = null;
  let yv: Float64Array | null = null;
  let wv: Float64Array | null = null;
  if (early) {
    const split = validationSplit(y, classify ? K0 : 0, params.validation_fraction, deriveSeed(options.seed, 'hgb-validation'));
    if (split.train.length > 0 && split.valid.length > 0) {
      Xt = takeRows(data.X, split.train);
      yt = takeValues(y, split.train);
      wt = takeValues(weights, split.train);
      Xv = takeRows(data.X, split.valid);
      yv = takeValues(y, split.valid);
      wv = takeValues(weights, split.valid);
    }
  }
  const nt = Xt.rows;
  const grower = new HistGrower({ X: Xt, maxBins: params.max_bins, seed: deriveSeed(options.seed, 'hgb-bins') }, nt, Xt.cols, {
    maxLeafNodes: params.max_leaf_nodes ?? Number.MAX_SAFE_INTEGER,
    maxDepth: params.max_depth ?? Number.MAX_SAFE_INTEGER,
    minSamplesLeaf: params.min_samples_leaf,
    l2: params.l2_regularization,
    minHessianToSplit: 1e-3,
    learningRate: params.learning_rate,
    threads: hgbThreads(options.threads ?? 1),
    // Log loss: raw scores, targets and weights where the grower's helper thread reads them.
    sideArrays: loss === 'log_loss' ? 3 : 0,
  });
  try {
    return boost(grower, loss, T, K0, params, options, yt, wt, Xv, yv, wv);
  } finally {
    grower.close();
  }
}

/**
 * Threads for the histograms, partitions and log-loss gradients: 2 (a helper thread where the
 * problem is large enough) when the fit may use several threads (FitOptions.threads) on a machine
 * with 2 cores or more; FLOWLINE_HGB_THREADS=1 or 2 overrides it. The trees are the same either way.
 */
function hgbThreads(allowed: number): 1 | 2 {
  const env = process.env.FLOWLINE_HGB_THREADS;
  if (env === '1' || env === '2') return env === '1' ? 1 : 2;
  return allowed < 2 || availableParallelism() < 2 ? 1 : 2;
}

/** The boosting iterations on a grower made for the training rows. */
function boost(
  grower: HistGrower,
  loss: Loss,
  T: number,
  K0: number,
  params: HgbParams,
  options: FitOptions,
  yt: Float64Array,
  wt: Float64Array,
  Xv: Matrix | null,
  yv: Float64Array | null,
  wv: Float64Array | null,
): HgbState {
  const nt = grower.rows;
  const baseline = baselineScores(loss, yt, wt, T);
  const logLoss = loss === 'log_loss';
  const raw = logLoss ? grower.side(0) : new Float64Array(nt * T);
  const ySide = logLoss ? grower.side(1) : yt;
  const wSide = logLoss ? grower.side(2) : wt;
  if (logLoss) {
    ySide.set(yt);
    wSide.set(wt);
  }
  for (let i = 0; i < nt; i++) for (let t = 0; t < T; t++) raw[i * T + t] = baseline[t];
  const rawV = Xv ? new Float64Array(Xv.rows * T) : null;
  if (rawV) for (let i = 0; i < Xv!.rows; i++) for (let t = 0; t < T; t++) rawV[i * T + t] = baseline[t];
  // Computed in doubles, stored as float32, as sklearn's loss.gradient_hessian into G_H_DTYPE arrays.
  const g = new Float32Array(nt);
  const h = new Float32Array(nt);
  const prob = loss === 'multinomial' ? new Float64Array(nt * T) : null;
  const trees: FlatTree[] = [];
  const validationLoss: number[] = [];
  const scores: number[] = [];
  if (rawV) {
    const l = lossValue(loss, yv!, rawV, wv!, T);
    validationLoss.push(l);
    scores.push(-l);
  }
  let nIter = 0;
  for (let it = 0; it < params.max_iter; it++) {
    options.checkCancelled?.();
    if (prob) softmaxRows(raw, prob, nt, T);
    for (let t = 0; t < T; t++) {
      let tree: FlatTree;
      if (logLoss) tree = grower.growLogLoss(raw, ySide, wSide);
      else {
        gradients(loss, yt, raw, prob, wt, T, t, g, h);
        tree = grower.grow(g, h);
      }
      grower.addLeafValues(raw, T, t);
      if (rawV) addTreePredictions(tree, Xv!, rawV, T, t);
      trees.push(tree);
    }
    nIter++;
    options.progress?.(nIter / params.max_iter, `iteration ${nIter}`);
    if (rawV) {
      const l = lossValue(loss, yv!, rawV, wv!, T);
      validationLoss.push(l);
      scores.push(-l);
      if (shouldStop(scores, params.n_iter_no_change, params.tol)) break;
    }
  }
  return { task: loss === 'squared_error' ? 'regression' : loss === 'log_loss' ? 'binary' : 'multiclass', nClasses: K0, treesPerIteration: T, baseline, trees, nIter, validationLoss };
}

/** sklearn's rule: stop unless one of the last n scores beats the score n+1 back by more than tol. */
function shouldStop(scores: number[], nNoChange: number, tol: number): boolean {
  const ref = nNoChange + 1;
  if (scores.length < ref) return false;
  const reference = scores[scores.length - ref] + tol;
  for (let i = scores.length - ref + 1; i < scores.length; i++) if (scores[i] > reference) return false;
  return true;
}

function baselineScores(loss: Loss, y: Float64Array, w: Float64Array, T: number): number[] {
  let sw = 0;
  for (let i = 0; i < y.length; i++) sw += w[i];
  if (loss === 'squared_error') {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += w[i] * y[i];
    return [s / sw];
  }
  if (loss === 'log_loss') {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += w[i] * y[i];
    const p = Math.min(1 - 1e-15, Math.max(1e-15, s / sw));
    return [Math.log(p / (1 - p))];
  }
  const counts = new Float64Array(T);
  for (let i = 0; i < y.length; i++) counts[y[i]] += w[i];
  const logs = Array.from(counts, (c) => Math.log(Math.max(c / sw, 1e-15)));
  const mean = logs.reduce((a, b) => a + b, 0) / T;
  return logs.map((v) => v - mean);
}

/** Gradients and hessians for squared error and multinomial loss (log loss: HistGrower.growLogLoss). */
function gradients(loss: Loss, y: Float64Array, raw: Float64Array, prob: Float64Array | null, w: Float64Array, T: number, t: number, g: Float32Array, h: Float32Array): void {
  const n = y.length;
  if (loss === 'squared_error') {
    for (let i = 0; i < n; i++) {
      g[i] = w[i] * (raw[i] - y[i]);
      h[i] = w[i];
    }
  } else {
    for (let i = 0; i < n; i++) {
      const p = prob![i * T + t];
      g[i] = w[i] * (p - (y[i] === t ? 1 : 0));
      h[i] = w[i] * p * (1 - p);
    }
  }
}

function lossValue(loss: Loss, y: Float64Array, raw: Float64Array, w: Float64Array, T: number): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < y.length; i++) {
    let l: number;
    if (loss === 'squared_error') l = 0.5 * (raw[i] - y[i]) ** 2;
    else if (loss === 'log_loss') {
      const f = raw[i];
      l = (f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f))) - y[i] * f;
    } else {
      let m = -Infinity;
      for (let t = 0; t < T; t++) m = Math.max(m, raw[i * T + t]);
      let se = 0;
      for (let t = 0; t < T; t++) se += Math.exp(raw[i * T + t] - m);
      l = m + Math.log(se) - raw[i * T + y[i]];
    }
    s += w[i] * l;
    sw += w[i];
  }
  return s / sw;
}


function softmaxRows(raw: Float64Array, out: Float64Array, n: number, T: number): void {
  for (let i = 0; i < n; i++) {
    const o = i * T;
    let m = -Infinity;
    for (let t = 0; t < T; t++) if (raw[o + t] > m) m = raw[o + t];
    let s = 0;
    for (let t = 0; t < T; t++) {
      const e = Math.exp(raw[o + t] - m);
      out[o + t] = e;
      s += e;
    }
    for (let t = 0; t < T; t++) out[o + t] /= s;
  }
}

/** Raw scores (rows × treesPerIteration): baseline + sum of trees. What TreeSHAP explains. */
export function hgbRawScores(state: HgbState, X: Matrix): Float64Array {
  const T = state.treesPerIteration;
  const raw = new Float64Array(X.rows * T);
  for (let i = 0; i < X.rows; i++) for (let t = 0; t < T; t++) raw[i * T + t] = state.baseline[t];
  addForestPredictions(state.trees, X, raw, T, (j) => j % T);
  return raw;
}

export function predictHgb(state: HgbState, X: Matrix): Prediction {
  const raw = hgbRawScores(state, X);
  if (state.task === 'regression') return { values: raw };
  const k = state.nClasses;
  const proba = new Float64Array(X.rows * k);
  if (state.task === 'binary') {
    for (let i = 0; i < X.rows; i++) {
      const p = sigmoid(raw[i]);
      proba[i * 2] = 1 - p;
      proba[i * 2 + 1] = p;
    }
  } else softmaxRows(raw, proba, X.rows, k);
  return { values: argmaxRows(proba, X.rows, k), proba };
}

export const histGradientBoosting: Learner<typeof hgbParams, HgbState> = {
  kind: 'hist_gradient_boosting',
  title: 'Histogram gradient boosting',
  tasks: ['binary', 'multiclass', 'regression'],
  params: hgbParams,
  fit: fitHgb,
  predict: predictHgb,
};
