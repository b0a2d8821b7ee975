import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { requireCols, requireFinite, requireTarget, weightsOf } from './check-input.ts';
import { choleskySolve, lstsqQR, weightedMeans } from './linalg.ts';
import type { FitData, Learner, Matrix, Prediction } from './types.ts';

/**
 * Linear regressors as scikit-learn 1.2's LinearRegression, Ridge and Lasso: centre X and y
 * (weighted), solve for the coefficients, then intercept = ȳ − x̄·w. Sample weights scale rows by
 * √w, as sklearn does.
 */
export interface LinearRegressorState {
  coef: Float64Array;
  intercept: number;
  nFeatures: number;
  /** Lasso only: coordinate-descent sweeps run and whether the duality gap fell below tol. */
  iterations?: number;
  converged?: boolean;
}

interface Centered {
  A: Float64Array;
  b: Float64Array;
  xMean: Float64Array;
  yMean: number;
  n: number;
  p: number;
}

/** √w-scaled, centred copy of X and y (means zero when no intercept is fitted). */
function center(data: FitData, title: string, fitIntercept: boolean, normalizeWeights: boolean): Centered {
  requireFinite(data.X, data.featureNames, title);
  const y = requireTarget(data, false, title);
  const { data: X, rows: n, cols: p } = data.X;
  const w = Float64Array.from(weightsOf(data));
  if (normalizeWeights && data.sampleWeight) {
    let s = 0;
    for (let i = 0; i < n; i++) s += w[i];
    for (let i = 0; i < n; i++) w[i] *= n / s;
  }
  const xMean = fitIntercept ? weightedMeans(X, n, p, w) : new Float64Array(p);
  let yMean = 0;
  if (fitIntercept) {
    let sw = 0;
    for (let i = 0; i < n; i++) {
      yMean += w[i] * y[i];
      sw += w[i];
    }
    yMean /= sw;
  }
  const A = new Float64Array(n * p);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.sqrt(w[i]);
    const o = i * p;
    for (let j = 0; j < p; j++) A[o + j] = (X[o + j] - xMean[j]) * r;
    b[i] = (y[i] - yMean) * r;
  }
  return { A, b, xMean, yMean, n, p };
}

function finish(c: Centered, coef: Float64Array, extra: Partial<LinearRegressorState> = {}): LinearRegressorState {
  let intercept = c.yMean;
  for (let j = 0; j < c.p; j++) intercept -= c.xMean[j] * coef[j];
  return { coef, intercept, nFeatures: c.p, ...extra };
}

export function predictLinear(state: LinearRegressorState, X: Matrix, title: string): Prediction {
  requireCols(X, state.nFeatures, title);
  const p = state.nFeatures;
  const values = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let s = state.intercept;
    const o = i * p;
    for (let j = 0; j < p; j++) s += X.data[o + j] * state.coef[j];
    values[i] = s;
  }
  return { values };
}

const fitInterceptParam = z.boolean().default(true).describe('Fit an intercept');

export const linearRegressionParams = z.object({ fit_intercept: fitInterceptParam });

export const linearRegression: Learner<typeof linearRegressionParams, LinearRegressorState> = {
  kind: 'linear_regression',
  title: 'Linear regression',
  tasks: ['regression'],
  params: linearRegressionParams,
  fit(data, params) {
    const c = center(data, 'Linear regression', params.fit_intercept, false);
    return finish(c, lstsqQR(c.A, c.n, c.p, c.b).x);
  },
  predict: (state, X) => predictLinear(state, X, 'Linear regression'),
};

export const ridgeParams = z.object({
  alpha: z.number().nonnegative().default(1).describe('L2 penalty strength: alpha·|w|² added to the squared error'),
  fit_intercept: fitInterceptParam,
});

export const ridge: Learner<typeof ridgeParams, LinearRegressorState> = {
  kind: 'ridge',
  title: 'Ridge regression',
  tasks: ['regression'],
  params: ridgeParams,
  fit(data, params) {
    const c = center(data, 'Ridge regression', params.fit_intercept, false);
    const { A, b, n, p } = c;
    // (AᵀA + αI) w = Aᵀb
    const S = new Float64Array(p * p);
    const r = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const o = i * p;
      for (let j = 0; j < p; j++) {
        const a = A[o + j];
        if (a === 0) continue;
        r[j] += a * b[i];
        for (let k = j; k < p; k++) S[j * p + k] += a * A[o + k];
      }
    }
    for (let j = 0; j < p; j++) {
      S[j * p + j] += params.alpha;
      for (let k = 0; k < j; k++) S[j * p + k] = S[k * p + j];
    }
    // alpha = 0 with a constant feature is singular: fall back to least squares.
    const coef = choleskySolve(S, p, r) ?? lstsqQR(A, n, p, b).x;
    return finish(c, coef);
  },
  predict: (state, X) => predictLinear(state, X, 'Ridge regression'),
};

export const lassoParams = z.object({
  alpha: z.number().positive().default(1).describe('L1 penalty strength: objective is |y − Xw|²/(2n) + alpha·|w|₁'),
  fit_intercept: fitInterceptParam,
  max_iter: z.number().int().positive().max(LIMITS.iterations).default(1000).describe('Maximum coordinate-descent sweeps'),
  tol: z.number().positive().default(1e-4).describe('Stop when the duality gap falls below tol·|y|²'),
});

export const lasso: Learner<typeof lassoParams, LinearRegressorState> = {
  kind: 'lasso',
  title: 'Lasso regression',
  tasks: ['regression'],
  params: lassoParams,
  fit(data, params, options) {
    const c = center(data, 'Lasso regression', params.fit_intercept, true);
    const r = coordinateDescent(c.A, c.n, c.p, c.b, params.alpha * c.n, params.max_iter, params.tol, options.checkCancelled);
    return finish(c, r.w, { iterations: r.iterations, converged: r.converged });
  },
  predict: (state, X) => predictLinear(state, X, 'Lasso regression'),
};

/**
 * Cyclic coordinate descent for ½|y − Xw|² + l1·|w|₁ with sklearn's stopping rule
 * (sklearn/linear_model/_cd_fast.pyx, enet_coordinate_descent with beta = 0): check the duality
 * gap when the largest coefficient change is small relative to the largest coefficient.
 */
function coordinateDescent(X: Float64Array, n: number, p: number, y: Float64Array, l1: number, maxIter: number, tol: number, checkCancelled?: () => void) {
  // Column-major copy: each coordinate update walks one column.
  const Xc = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) Xc[j * n + i] = X[i * p + j];
  const normCols = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Xc[j * n + i] ** 2;
    normCols[j] = s;
  }
  const w = new Float64Array(p);
  const R = Float64Array.from(y);
  let yy = 0;
  for (let i = 0; i < n; i++) yy += y[i] * y[i];
  const gapTol = tol * yy;
  let iterations = 0;
  let converged = false;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    if (it % 50 === 0) checkCancelled?.();
    let wMax = 0;
    let dwMax = 0;
    for (let j = 0; j < p; j++) {
      if (normCols[j] === 0) continue;
      const col = j * n;
      const wOld = w[j];
      if (wOld !== 0) for (let i = 0; i < n; i++) R[i] += wOld * Xc[col + i];
      let tmp = 0;
      for (let i = 0; i < n; i++) tmp += Xc[col + i] * R[i];
      const wNew = (Math.sign(tmp) * Math.max(Math.abs(tmp) - l1, 0)) / normCols[j];
      w[j] = wNew;
      if (wNew !== 0) for (let i = 0; i < n; i++) R[i] -= wNew * Xc[col + i];
      dwMax = Math.max(dwMax, Math.abs(wNew - wOld));
      wMax = Math.max(wMax, Math.abs(wNew));
    }
    if (wMax === 0 || dwMax / wMax < tol || it === maxIter - 1) {
      let dualNorm = 0;
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += Xc[j * n + i] * R[i];
        dualNorm = Math.max(dualNorm, Math.abs(s));
      }
      let rNorm2 = 0;
      let ry = 0;
      for (let i = 0; i < n; i++) {
        rNorm2 += R[i] * R[i];
        ry += R[i] * y[i];
      }
      let gap: number;
      let cst: number;
      if (dualNorm > l1) {
        cst = l1 / dualNorm;
        gap = 0.5 * (rNorm2 + rNorm2 * cst * cst);
      } else {
        cst = 1;
        gap = rNorm2;
      }
      let l1Norm = 0;
      for (let j = 0; j < p; j++) l1Norm += Math.abs(w[j]);
      gap += l1 * l1Norm - cst * ry;
      if (gap < gapTol) {
        converged = true;
        break;
      }
    }
  }
  return { w, iterations, converged };
}
