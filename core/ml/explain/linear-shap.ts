/**
 * Exact SHAP for linear models (Lundberg & Lee 2017, "linear SHAP" with independent features):
 * on the margin f(x) = b + Σ w_i x_i, φ_i = w_i · (x_i − E[x_i]) and the base value is
 * f(E[x]) = b + Σ w_i E[x_i], with E over the background rows. Exact, and O(features) per row.
 */
import type { LinearRegressorState } from '../learners/linear.ts';
import type { LinearClassifierState } from '../learners/logistic.ts';
import type { Matrix } from '../learners/types.ts';

/** outputs × p coefficients and one intercept per output. */
export interface LinearView {
  coef: Float64Array;
  intercept: Float64Array;
  outputs: number;
  features: number;
}

const REGRESSORS = new Set(['linear_regression', 'ridge', 'lasso']);
const CLASSIFIERS = new Set(['logistic_regression', 'linear_svm']);

export function isLinearKind(kind: string): boolean {
  return REGRESSORS.has(kind) || CLASSIFIERS.has(kind);
}

/** The margin's coefficients (logistic: log-odds or one logit per class; SVM: the decision margin). */
export function linearViewOf(kind: string, state: unknown): LinearView | null {
  if (REGRESSORS.has(kind)) {
    const s = state as LinearRegressorState;
    return { coef: s.coef, intercept: Float64Array.of(s.intercept), outputs: 1, features: s.nFeatures };
  }
  if (CLASSIFIERS.has(kind)) {
    const s = state as LinearClassifierState;
    return { coef: s.coef, intercept: s.intercept, outputs: s.intercept.length, features: s.nFeatures };
  }
  return null;
}

/** Weighted column means of the background rows: E[x_i]. */
export function columnMeans(B: Matrix, weights?: Float64Array): Float64Array {
  const mean = new Float64Array(B.cols);
  let sw = 0;
  for (let i = 0; i < B.rows; i++) {
    const w = weights ? weights[i] : 1;
    sw += w;
    for (let j = 0; j < B.cols; j++) mean[j] += w * B.data[i * B.cols + j];
  }
  for (let j = 0; j < B.cols; j++) mean[j] /= sw;
  return mean;
}

/** φ (rows × outputs × p) and the base value per output. */
export function linearShap(view: LinearView, X: Matrix, mean: Float64Array): { phi: Float64Array; base: Float64Array } {
  const { outputs: O, features: p, coef } = view;
  const base = Float64Array.from(view.intercept);
  for (let o = 0; o < O; o++) for (let j = 0; j < p; j++) base[o] += coef[o * p + j] * mean[j];
  const phi = new Float64Array(X.rows * O * p);
  for (let r = 0; r < X.rows; r++) {
    for (let o = 0; o < O; o++) {
      const off = (r * O + o) * p;
      for (let j = 0; j < p; j++) phi[off + j] = coef[o * p + j] * (X.data[r * p + j] - mean[j]);
    }
  }
  return { phi, base };
}
