import { z } from 'zod';
import { nClassesOf, requireCols, requireFinite, requireTarget, weightsOf } from './check-input.ts';
import type { Learner, Prediction } from './types.ts';

/**
 * Gaussian naive Bayes as scikit-learn 1.2's GaussianNB: per-class feature means and variances
 * (weighted), each variance plus var_smoothing × the largest feature variance, priors from the
 * class frequencies.
 */
export const gaussianNbParams = z.object({
  var_smoothing: z.number().nonnegative().default(1e-9).describe('Fraction of the largest feature variance added to every variance, for stability'),
});

export interface GaussianNbState {
  /** k × p */
  theta: Float64Array;
  /** k × p, smoothing included */
  variance: Float64Array;
  classPrior: Float64Array;
  nFeatures: number;
  nClasses: number;
}

export const gaussianNb: Learner<typeof gaussianNbParams, GaussianNbState> = {
  kind: 'gaussian_nb',
  title: 'Gaussian naive Bayes',
  tasks: ['binary', 'multiclass'],
  params: gaussianNbParams,
  fit(data, params) {
    requireFinite(data.X, data.featureNames, 'Gaussian naive Bayes');
    const y = requireTarget(data, true, 'Gaussian naive Bayes');
    const k = nClassesOf(data);
    const w = weightsOf(data);
    const { data: X, rows: n, cols: p } = data.X;
    // epsilon from the overall (unweighted) variance of each feature, as sklearn.
    let maxVar = 0;
    for (let j = 0; j < p; j++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += X[i * p + j];
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (X[i * p + j] - mean) ** 2;
      maxVar = Math.max(maxVar, v / n);
    }
    // All features constant: fall back to var_smoothing itself so no variance is 0.
    const epsilon = maxVar > 0 ? params.var_smoothing * maxVar : Math.max(params.var_smoothing, 1e-300);
    const theta = new Float64Array(k * p);
    const variance = new Float64Array(k * p);
    const count = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const c = y[i];
      count[c] += w[i];
      for (let j = 0; j < p; j++) theta[c * p + j] += w[i] * X[i * p + j];
    }
    for (let c = 0; c < k; c++) for (let j = 0; j < p; j++) theta[c * p + j] = count[c] > 0 ? theta[c * p + j] / count[c] : 0;
    for (let i = 0; i < n; i++) {
      const c = y[i];
      for (let j = 0; j < p; j++) variance[c * p + j] += w[i] * (X[i * p + j] - theta[c * p + j]) ** 2;
    }
    let total = 0;
    for (let c = 0; c < k; c++) total += count[c];
    const classPrior = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      classPrior[c] = count[c] / total;
      for (let j = 0; j < p; j++) variance[c * p + j] = (count[c] > 0 ? variance[c * p + j] / count[c] : 0) + epsilon;
    }
    return { theta, variance, classPrior, nFeatures: p, nClasses: k };
  },
  predict(state, X): Prediction {
    requireCols(X, state.nFeatures, 'Gaussian naive Bayes');
    const { nClasses: k, nFeatures: p, theta, variance } = state;
    const logNorm = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += Math.log(2 * Math.PI * variance[c * p + j]);
      logNorm[c] = Math.log(state.classPrior[c]) - 0.5 * s;
    }
    const n = X.rows;
    const values = new Float64Array(n);
    const proba = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      let best = 0;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < p; j++) {
          const d = X.data[i * p + j] - theta[c * p + j];
          s += (d * d) / variance[c * p + j];
        }
        const jll = logNorm[c] - 0.5 * s;
        proba[i * k + c] = jll;
        if (jll > max) {
          max = jll;
          best = c;
        }
      }
      let sum = 0;
      for (let c = 0; c < k; c++) sum += proba[i * k + c] = Math.exp(proba[i * k + c] - max);
      for (let c = 0; c < k; c++) proba[i * k + c] /= sum;
      values[i] = best;
    }
    return { values, proba };
  },
};
