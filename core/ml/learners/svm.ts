import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { nClassesOf, requireCols, requireFinite, requireTarget } from './check-input.ts';
import { rowWeights, sigmoid } from './check-input.ts';
import { classWeightParam, gradientRowMajor, linearDecision, margins } from './logistic.ts';
import { lbfgs } from './optim/lbfgs.ts';
import type { FitData, Learner, Matrix, Prediction } from './types.ts';

/**
 * Linear SVM as scikit-learn 1.2's LinearSVC (loss='squared_hinge', penalty='l2'): for each class
 * against the rest, minimise ½(|w|² + b²) + C Σ sᵢ max(0, 1 − yᵢ(w·xᵢ + b))². The intercept is
 * penalised, as liblinear does with intercept_scaling = 1. We solve this smooth primal with
 * L-BFGS to a tight tolerance (its optimum is unique, so the solver does not matter).
 *
 * Probabilities: LinearSVC has none. Ours come from a Platt (logistic) calibration of each
 * class's decision value, fitted on the training rows: monotone, so a binary ROC-AUC equals the
 * decision function's; for several classes the calibrated scores are normalised to sum to 1.
 * Predicted classes always come from the decision function, as LinearSVC's.
 */
export const linearSvmParams = z.object({
  C: z.number().positive().default(1).describe('Inverse of the L2 penalty strength'),
  fit_intercept: z.boolean().default(true).describe('Fit an intercept (penalised, as liblinear does)'),
  class_weight: classWeightParam,
  max_iter: z.number().int().positive().max(LIMITS.iterations).default(1000).describe('Maximum solver iterations per class'),
  tol: z.number().positive().default(1e-4).describe('Tolerance for stopping'),
});

export interface LinearSvmState {
  /** k' × p; k' = 1 for two classes. */
  coef: Float64Array;
  intercept: Float64Array;
  /** Platt calibration per decision column: p = sigmoid(a·d + b). */
  plattA: Float64Array;
  plattB: Float64Array;
  nFeatures: number;
  nClasses: number;
  converged: boolean;
}

type Params = z.infer<typeof linearSvmParams>;

function fitBinary(X: Float64Array, n: number, p: number, yPos: (i: number) => boolean, sw: Float64Array, params: Params, onIter: () => void) {
  const fi = params.fit_intercept;
  const C = params.C;
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) ys[i] = yPos(i) ? 1 : -1;
  const m = new Float64Array(n);
  const fg = (w: Float64Array, g: Float64Array): number => {
    margins(X, n, p, w, fi ? w[p] : 0, m);
    const f = squaredHingeInPlace(m, ys, sw, C);
    const gb = gradientRowMajor(X, n, p, m, g);
    if (fi) g[p] = gb;
    let reg = 0;
    for (let j = 0; j < w.length; j++) {
      reg += 0.5 * w[j] * w[j];
      g[j] += w[j];
    }
    return f + reg;
  };
  let swSum = 0;
  for (let i = 0; i < n; i++) swSum += sw[i];
  const gtol = Math.max(1e-10, params.tol * 1e-3 * C * Math.max(1, swSum));
  const r = lbfgs(fg, new Float64Array(p + (fi ? 1 : 0)), { maxIter: params.max_iter, gtol, onIter });
  return { w: r.x.slice(0, p), b: fi ? r.x[p] : 0, converged: r.converged };
}

/** C Σ sᵢ max(0, 1 − yᵢmᵢ)² over margins m; m becomes d loss / d margin. */
function squaredHingeInPlace(m: Float64Array, ys: Float64Array, sw: Float64Array, C: number): number {
  let f = 0;
  for (let i = 0; i < m.length; i++) {
    const yi = ys[i];
    const viol = 1 - yi * m[i];
    if (viol > 0) {
      f += C * sw[i] * viol * viol;
      m[i] = -2 * C * sw[i] * viol * yi;
    } else m[i] = 0;
  }
  return f;
}

/** Fit p = sigmoid(a·d + b) to 0/1 labels by maximum likelihood, with Platt's smoothed targets. */
function platt(dec: Float64Array, stride: number, col: number, pos: (i: number) => boolean, n: number): [number, number] {
  let nPos = 0;
  for (let i = 0; i < n; i++) if (pos(i)) nPos++;
  const tPos = (nPos + 1) / (nPos + 2);
  const tNeg = 1 / (n - nPos + 2);
  const fg = (x: Float64Array, g: Float64Array): number => {
    let f = 0;
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const d = dec[i * stride + col];
      const t = pos(i) ? tPos : tNeg;
      const z = x[0] * d + x[1];
      // cross-entropy of sigmoid(z) against t, stable
      f += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t * z;
      const r = sigmoid(z) - t;
      g[0] += r * d;
      g[1] += r;
    }
    return f;
  };
  const r = lbfgs(fg, Float64Array.of(1, 0), { maxIter: 200, gtol: 1e-8 });
  return [r.x[0], r.x[1]];
}

export const linearSvm: Learner<typeof linearSvmParams, LinearSvmState> = {
  kind: 'linear_svm',
  title: 'Linear SVM',
  tasks: ['binary', 'multiclass'],
  params: linearSvmParams,
  fit(data: FitData, params, options) {
    requireFinite(data.X, data.featureNames, 'Linear SVM');
    const y = requireTarget(data, true, 'Linear SVM');
    const k = nClassesOf(data);
    const sw = rowWeights(data, y, k, params.class_weight);
    const { data: X, rows: n, cols: p } = data.X;
    const kk = k === 2 ? 1 : k;
    const coef = new Float64Array(kk * p);
    const intercept = new Float64Array(kk);
    let converged = true;
    for (let c = 0; c < kk; c++) {
      const cls = k === 2 ? 1 : c;
      const r = fitBinary(X, n, p, (i) => y[i] === cls, sw, params, () => options.checkCancelled?.());
      coef.set(r.w, c * p);
      intercept[c] = r.b;
      converged &&= r.converged;
      options.progress?.((c + 1) / kk);
    }
    const dec = linearDecision({ coef, intercept, nFeatures: p }, data.X);
    const plattA = new Float64Array(kk);
    const plattB = new Float64Array(kk);
    for (let c = 0; c < kk; c++) {
      const cls = k === 2 ? 1 : c;
      [plattA[c], plattB[c]] = platt(dec, kk, c, (i) => y[i] === cls, n);
    }
    return { coef, intercept, plattA, plattB, nFeatures: p, nClasses: k, converged };
  },
  predict(state, X: Matrix): Prediction {
    requireCols(X, state.nFeatures, 'Linear SVM');
    const dec = linearDecision(state, X);
    const k = state.nClasses;
    const n = X.rows;
    const values = new Float64Array(n);
    const proba = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      if (k === 2) {
        const p1 = sigmoid(state.plattA[0] * dec[i] + state.plattB[0]);
        proba[i * 2] = 1 - p1;
        proba[i * 2 + 1] = p1;
        values[i] = dec[i] > 0 ? 1 : 0;
        continue;
      }
      let best = 0;
      let sum = 0;
      for (let c = 0; c < k; c++) {
        const d = dec[i * k + c];
        if (d > dec[i * k + best]) best = c;
        sum += proba[i * k + c] = sigmoid(state.plattA[c] * d + state.plattB[c]);
      }
      for (let c = 0; c < k; c++) proba[i * k + c] /= sum;
      values[i] = best;
    }
    return { values, proba };
  },
};

/** Decision values (n × k', k' = 1 for two classes), for ROC curves on the raw margin. */
export function svmDecision(state: LinearSvmState, X: Matrix): Float64Array {
  return linearDecision(state, X);
}
