import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { nClassesOf, requireCols, requireFinite, requireTarget, rowWeights } from './check-input.ts';
import { lbfgs, type LbfgsResult } from './optim/lbfgs.ts';
import { binaryLogisticKernel, linearDecisionKernel } from './linear-kernels.ts';
import type { Convergence } from './convergence.ts';
import type { FitData, Learner, Matrix, Prediction } from './types.ts';

/**
 * Logistic regression as scikit-learn 1.2's LogisticRegression(solver='lbfgs'): L2 penalty
 * 0.5/C·|w|² on the coefficients (never the intercept) plus the summed, weighted log loss; one
 * coefficient vector for two classes, multinomial (softmax) for more.
 */
export const classWeightParam = z
  .union([z.literal('balanced'), z.record(z.string(), z.number().nonnegative())])
  .nullable()
  .default(null)
  .describe("null (all classes 1), 'balanced' (n / (k · count)), or a map from class index to weight");

export const logisticParams = z.object({
  C: z.number().positive().default(1).describe('Inverse of the L2 penalty strength; smaller = stronger penalty'),
  penalty: z.enum(['l2', 'none']).default('l2').describe("'l2' or 'none' (no penalty)"),
  fit_intercept: z.boolean().default(true).describe('Fit an intercept (never penalised)'),
  class_weight: classWeightParam,
  max_iter: z.number().int().positive().max(LIMITS.iterations).default(100).describe('Maximum L-BFGS iterations'),
  tol: z.number().positive().default(1e-4).describe('Stop when the largest gradient entry is below tol'),
});

export interface LinearClassifierState {
  /** k' × p row-major coefficients; k' = 1 for two classes, else k. */
  coef: Float64Array;
  intercept: Float64Array;
  nFeatures: number;
  nClasses: number;
  iterations: number;
  converged: boolean;
  /** How the solver ended (absent in models saved before it was recorded). */
  convergence?: Convergence;
}


type Params = z.infer<typeof logisticParams>;

/**
 * scikit-learn 1.2's LogisticRegression calls scipy's L-BFGS-B with only gtol and maxiter, so
 * scipy's defaults apply: stop when the relative decrease of f is below factr·eps = 1e7·eps
 * (later scikit-learn versions pass 64·eps: on bench/train.ts's problem that took 31 iterations
 * instead of scikit-learn 1.2's 22 and ended 1e-6 from its coefficients; this rule, 22 and 1e-9),
 * and at most 20 steps per line search.
 */
const SKLEARN_FTOL = 1e7 * Number.EPSILON;
const SKLEARN_MAXLS = 20;

function fit(data: FitData, params: Params, options: { progress?: (f: number) => void; checkCancelled?: () => void }): LinearClassifierState {
  const title = 'Logistic regression';
  requireFinite(data.X, data.featureNames, title);
  const y = requireTarget(data, true, title);
  const k = nClassesOf(data);
  const sw = rowWeights(data, y, k, params.class_weight);
  const { rows: n, cols: p } = data.X;
  const alpha = params.penalty === 'none' ? 0 : 1 / params.C;
  const fi = params.fit_intercept;
  // Badly scaled columns are optimised in conditioned coordinates: the same problem, solved well.
  const cond = conditioning(data.X.data, n, p, fi);
  const X = cond?.X ?? data.X.data;
  // The penalty of w_j = w'_j / scale_j, as the solver sees it.
  const penalty = new Float64Array(p).map((_, j) => alpha / (cond ? cond.scale[j] ** 2 : 1));
  const onIter = (it: number) => {
    options.checkCancelled?.();
    options.progress?.(Math.min(1, it / params.max_iter));
  };
  const lbfgsOptions = { maxIter: params.max_iter, gtol: params.tol, ftol: SKLEARN_FTOL, maxLs: SKLEARN_MAXLS, onIter };
  let coef: Float64Array;
  let intercept: Float64Array;
  let r: LbfgsResult;
  if (k === 2) {
    // x = [w (p), b]; labels ±1.
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) ys[i] = y[i] === 1 ? 1 : -1;
    const z = new Float64Array(n);
    const fg = (w: Float64Array, g: Float64Array): number => {
      margins(X, n, p, w, fi ? w[p] : 0, z);
      let f = binaryLossInPlace(z, ys, sw);
      const gb = gradientRowMajor(X, n, p, z, g);
      if (fi) g[p] = gb;
      for (let j = 0; j < p; j++) {
        f += 0.5 * penalty[j] * w[j] * w[j];
        g[j] += penalty[j] * w[j];
      }
      return f;
    };
    r = lbfgs(fg, new Float64Array(p + (fi ? 1 : 0)), lbfgsOptions);
    coef = r.x.slice(0, p);
    intercept = Float64Array.of(fi ? r.x[p] : 0);
  } else {
    // Multinomial: x = k × (p + 1) row-major (class c: coefficients then intercept).
    const q = p + 1;
    const Z = new Float64Array(n * k);
    const fg = (w: Float64Array, g: Float64Array): number => {
      multinomialMargins(X, n, p, w, k, fi, Z);
      let f = softmaxLossInPlace(Z, n, k, y, sw);
      multinomialGradient(X, n, p, Z, k, fi, g);
      for (let c = 0; c < k; c++) {
        for (let j = 0; j < p; j++) {
          const v = w[c * q + j];
          f += 0.5 * penalty[j] * v * v;
          g[c * q + j] += penalty[j] * v;
        }
      }
      return f;
    };
    r = lbfgs(fg, new Float64Array(k * q), lbfgsOptions);
    coef = new Float64Array(k * p);
    intercept = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < p; j++) coef[c * p + j] = r.x[c * q + j];
      intercept[c] = r.x[c * q + p];
    }
  }
  if (cond) unconditionInPlace(coef, intercept, cond);
  return { coef, intercept, nFeatures: p, nClasses: k, iterations: r.iterations, converged: r.converged, convergence: convergenceOf(r, params) };
}

/** Above this root-mean-square magnitude a column counts as badly scaled (see conditioning). */
const BADLY_SCALED = 100;

interface Conditioning {
  /** (X - shift) / scale, column by column. */
  X: Float64Array;
  shift: Float64Array;
  scale: Float64Array;
}

/**
 * A column in the hundreds of thousands (an unscaled id, an amount in cents) makes the log loss's
 * curvature along it ~10¹⁰ times that along a unit-scale column: L-BFGS's first steps are all that
 * column, its line search runs out of halvings, and the fit used to stop after one step with every
 * coefficient ~0 (AUC 0.5). Solving for w'_j = w_j · scale_j on (X - shift) / scale instead (with
 * the penalty α/scale_j² · w'_j² that keeps the objective the same) is the same problem with the
 * same minimum, well conditioned. Centring is exact only with an intercept (it absorbs the shift).
 * Columns are only ever shrunk (scale ≥ 1), and well-scaled tables (|values| up to ~100, e.g.
 * standardised ones) are solved as before, step for step as scikit-learn does.
 */
function conditioning(X: Float64Array, n: number, p: number, center: boolean): Conditioning | null {
  const mean = new Float64Array(p);
  const sq = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let j = 0; j < p; j++) mean[j] += X[o + j];
  }
  for (let j = 0; j < p; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let j = 0; j < p; j++) sq[j] += (X[o + j] - mean[j]) ** 2;
  }
  const shift = new Float64Array(p);
  const scale = new Float64Array(p);
  let bad = false;
  for (let j = 0; j < p; j++) {
    const variance = sq[j] / n;
    const rms = Math.sqrt(mean[j] * mean[j] + variance);
    if (rms > BADLY_SCALED) bad = true;
    shift[j] = center ? mean[j] : 0;
    scale[j] = Math.max(1, center ? Math.sqrt(variance) : rms);
  }
  if (!bad) return null;
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let j = 0; j < p; j++) out[o + j] = (X[o + j] - shift[j]) / scale[j];
  }
  return { X: out, shift, scale };
}

/** Coefficients of the conditioned problem → those of the original columns (k' rows of p). */
function unconditionInPlace(coef: Float64Array, intercept: Float64Array, { shift, scale }: Conditioning): void {
  const p = scale.length;
  for (let c = 0; c < intercept.length; c++) {
    for (let j = 0; j < p; j++) {
      coef[c * p + j] /= scale[j];
      intercept[c] -= coef[c * p + j] * shift[j];
    }
  }
}

/** How the solver ended, in words a warning can quote (see fitWarnings). */
function convergenceOf(r: LbfgsResult, params: Params): Convergence {
  return { converged: r.converged, iterations: r.iterations, maxIter: params.max_iter, stop: r.stop, gradientMax: r.gradientMax, tol: params.tol };
}

// Hot loops as module-level functions: V8 keeps them optimised across fits (a closure made per
// fit starts cold each time), and three plain passes beat one loop mixing dot products with exp/log.

/** z = X·w + b for row-major X (n × p); four rows at a time share each load of w. */
export function margins(X: Float64Array, n: number, p: number, w: Float64Array, b: number, z: Float64Array): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * p;
    const o1 = o0 + p;
    const o2 = o1 + p;
    const o3 = o2 + p;
    let s0 = b;
    let s1 = b;
    let s2 = b;
    let s3 = b;
    for (let j = 0; j < p; j++) {
      const wj = w[j];
      s0 += X[o0 + j] * wj;
      s1 += X[o1 + j] * wj;
      s2 += X[o2 + j] * wj;
      s3 += X[o3 + j] * wj;
    }
    z[i] = s0;
    z[i + 1] = s1;
    z[i + 2] = s2;
    z[i + 3] = s3;
  }
  for (; i < n; i++) {
    const o = i * p;
    let s = b;
    for (let j = 0; j < p; j++) s += X[o + j] * w[j];
    z[i] = s;
  }
}

/** Weighted log loss of margins z against labels ±1; z becomes d loss / d margin. */
function binaryLossInPlace(z: Float64Array, ys: Float64Array, sw: Float64Array): number {
  let f = 0;
  for (let i = 0; i < z.length; i++) {
    const yi = ys[i];
    const yz = yi * z[i];
    // -log(sigmoid(yz)) and sigmoid(yz) from one exp, stable both ways
    const e = Math.exp(-Math.abs(yz));
    f += sw[i] * (Math.log1p(e) + (yz < 0 ? -yz : 0));
    const sig = yz >= 0 ? 1 / (1 + e) : e / (1 + e);
    z[i] = sw[i] * (sig - 1) * yi;
  }
  return f;
}

/** g[0..p) = Xᵀr, four rows per pass over g (half the time of one); returns Σ r (the intercept's gradient). */
export function gradientRowMajor(X: Float64Array, n: number, p: number, r: Float64Array, g: Float64Array): number {
  for (let j = 0; j < p; j++) g[j] = 0;
  let gb = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const r0 = r[i];
    const r1 = r[i + 1];
    const r2 = r[i + 2];
    const r3 = r[i + 3];
    gb += r0 + r1 + r2 + r3;
    const o0 = i * p;
    const o1 = o0 + p;
    const o2 = o1 + p;
    const o3 = o2 + p;
    for (let j = 0; j < p; j++) g[j] += r0 * X[o0 + j] + r1 * X[o1 + j] + (r2 * X[o2 + j] + r3 * X[o3 + j]);
  }
  for (; i < n; i++) {
    const ri = r[i];
    gb += ri;
    const o = i * p;
    for (let j = 0; j < p; j++) g[j] += ri * X[o + j];
  }
  return gb;
}

/** Z (n × k) = X·Wᵀ + b, with w = k × (p + 1) row-major (coefficients, then intercept). */
function multinomialMargins(X: Float64Array, n: number, p: number, w: Float64Array, k: number, fi: boolean, Z: Float64Array): void {
  const q = p + 1;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let c = 0; c < k; c++) {
      const wc = c * q;
      let s = fi ? w[wc + p] : 0;
      for (let j = 0; j < p; j++) s += X[o + j] * w[wc + j];
      Z[i * k + c] = s;
    }
  }
}

/** Weighted multinomial log loss; Z becomes d loss / d margin (softmax − one-hot, weighted). */
function softmaxLossInPlace(Z: Float64Array, n: number, k: number, y: Float64Array, sw: Float64Array): number {
  let f = 0;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (Z[o + c] > max) max = Z[o + c];
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(Z[o + c] - max);
    const lse = max + Math.log(sum);
    const yi = y[i];
    f += sw[i] * (lse - Z[o + yi]);
    for (let c = 0; c < k; c++) Z[o + c] = sw[i] * (Math.exp(Z[o + c] - lse) - (c === yi ? 1 : 0));
  }
  return f;
}

/** g (k × (p + 1)) = Rᵀ·[X, 1]. */
function multinomialGradient(X: Float64Array, n: number, p: number, R: Float64Array, k: number, fi: boolean, g: Float64Array): void {
  const q = p + 1;
  g.fill(0);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let c = 0; c < k; c++) {
      const r = R[i * k + c];
      const gc = c * q;
      for (let j = 0; j < p; j++) g[gc + j] += r * X[o + j];
      if (fi) g[gc + p] += r;
    }
  }
}

/**
 * n × k' decision values X·coefᵀ + intercept, the same sums in the same order as a plain
 * row-by-row loop: on the WebAssembly kernel (linear-kernels.ts), else one margins() pass per
 * class (four rows share each load of the coefficients).
 */
export function linearDecision(state: { coef: Float64Array; intercept: Float64Array; nFeatures: number }, X: Matrix): Float64Array {
  const p = state.nFeatures;
  const n = X.rows;
  const kk = state.intercept.length;
  // The WebAssembly kernel: the same sums, two rows per SIMD vector (null without WebAssembly SIMD).
  const fast = linearDecisionKernel(state.coef, state.intercept, X.data, n, p);
  if (fast) return fast;
  if (kk === 1) {
    const out = new Float64Array(n);
    margins(X.data, n, p, state.coef, state.intercept[0], out);
    return out;
  }
  const out = new Float64Array(n * kk);
  const z = new Float64Array(n);
  for (let c = 0; c < kk; c++) {
    margins(X.data, n, p, state.coef.subarray(c * p, c * p + p), state.intercept[c], z);
    for (let i = 0; i < n; i++) out[i * kk + c] = z[i];
  }
  return out;
}

/**
 * Probabilities from decision values: sigmoid for one column, softmax for k. With one column,
 * `dec` becomes the labels (values) and is returned as such: predict's only other array to
 * allocate is proba (fresh memory costs a page fault per 4 KB on first write).
 */
export function probaFromDecision(dec: Float64Array, rows: number, k: number): Prediction {
  const proba = new Float64Array(rows * k);
  const kk = dec.length / rows;
  if (kk === 1) {
    // Its own loop, without a branch per row: a decision's sign is a coin toss to the branch
    // predictor, so sigmoid's two forms (check-input.ts) are picked by arithmetic, exactly (s is
    // 0 or 1, e finite: the same bits), and the label is a comparison's 0 or 1.
    for (let i = 0; i < rows; i++) {
      const d = dec[i];
      const e = Math.exp(-Math.abs(d));
      const s = +(d >= 0);
      const p1 = (s + (1 - s) * e) / (1 + e);
      proba[2 * i] = 1 - p1;
      proba[2 * i + 1] = p1;
      dec[i] = +(d > 0);
    }
    return { values: dec, proba };
  }
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < k; c++) {
      if (dec[i * k + c] > max) {
        max = dec[i * k + c];
        arg = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += (proba[i * k + c] = Math.exp(dec[i * k + c] - max));
    for (let c = 0; c < k; c++) proba[i * k + c] /= sum;
    values[i] = arg;
  }
  return { values, proba };
}

export const logisticRegression: Learner<typeof logisticParams, LinearClassifierState> = {
  kind: 'logistic_regression',
  title: 'Logistic regression',
  tasks: ['binary', 'multiclass'],
  params: logisticParams,
  fit,
  predict(state, X) {
    requireCols(X, state.nFeatures, 'Logistic regression');
    // Two classes: one WebAssembly SIMD pass (same decisions and labels, probabilities within a few ulps).
    const fast = state.intercept.length === 1 ? binaryLogisticKernel(state.coef, state.intercept[0], X.data, X.rows, state.nFeatures) : null;
    return fast ?? probaFromDecision(linearDecision(state, X), X.rows, state.nClasses);
  },
};
