/**
 * LIME (Ribeiro, Singh & Guestrin 2016), tabular, on the same players as KernelSHAP: around a
 * row x, `samples` perturbations switch each player off at random (its features then take a
 * background row's values), the model is asked about each, and a weighted linear model on the
 * on/off indicators is fitted, weighted by LIME's exponential kernel on the number of players
 * switched off (width 0.75·√M). The coefficients are the attributions and the intercept the base:
 * base + Σ attributions is the *surrogate's* value at x, close to but not exactly the model's
 * output (the fit's weighted R² says how close). Seeded per row.
 */
import type { Matrix } from '../learners/types.ts';
import { Rng, deriveSeed } from '../../spec/random.ts';
import type { Background, OutputFn } from './kernel-shap.ts';
import { lstsqQR } from '../learners/linalg.ts';

export interface LimeOptions {
  groups: number[][];
  samples: number;
  seed: number;
}

export interface LimeResult {
  /** rows × outputs × players. */
  phi: Float64Array;
  /** rows × outputs: the surrogate's intercept. */
  intercept: Float64Array;
  /** rows × outputs: weighted R² of the surrogate. */
  r2: Float64Array;
}

/** Tiny ridge so that a player never switched off in the sample still gets a finite (0) coefficient. */
const RIDGE = 1e-8;

export function lime(f: OutputFn, outputs: number, X: Matrix, rowIds: ArrayLike<number>, bg: Background, options: LimeOptions): LimeResult {
  const M = options.groups.length;
  const n = Math.max(options.samples, M + 2);
  const p = X.cols;
  const phi = new Float64Array(X.rows * outputs * M);
  const intercept = new Float64Array(X.rows * outputs);
  const r2 = new Float64Array(X.rows * outputs);
  let bgTotal = 0;
  for (let b = 0; b < bg.X.rows; b++) bgTotal += bg.weights[b];
  const width2 = (0.75 * Math.sqrt(M)) ** 2;
  for (let r = 0; r < X.rows; r++) {
    const rng = new Rng(deriveSeed(options.seed, rowIds[r]));
    const xo = r * p;
    const Z = new Uint8Array(n * M);
    const data = new Float64Array(n * p);
    const w = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      // sample 0 is x itself, as in LIME
      let u = rng.next() * bgTotal;
      let b = 0;
      while (b < bg.X.rows - 1 && u >= bg.weights[b]) u -= bg.weights[b++];
      data.set(bg.X.data.subarray(b * p, (b + 1) * p), s * p);
      let off = 0;
      for (let i = 0; i < M; i++) {
        const on = s === 0 || rng.next() < 0.5;
        Z[s * M + i] = on ? 1 : 0;
        if (on) for (const j of options.groups[i]) data[s * p + j] = X.data[xo + j];
        else off++;
      }
      w[s] = Math.sqrt(Math.exp(-off / width2));
    }
    const y = f({ data, rows: n, cols: p });
    for (let o = 0; o < outputs; o++) {
      const fit = weightedRidge(Z, n, M, y, o, outputs, w);
      phi.set(fit.coef, (r * outputs + o) * M);
      intercept[r * outputs + o] = fit.intercept;
      r2[r * outputs + o] = fit.r2;
    }
  }
  return { phi, intercept, r2 };
}

function weightedRidge(Z: Uint8Array, n: number, M: number, y: Float64Array, o: number, outputs: number, w: Float64Array): { coef: Float64Array; intercept: number; r2: number } {
  let sw = 0;
  const zMean = new Float64Array(M);
  let yMean = 0;
  for (let s = 0; s < n; s++) {
    sw += w[s];
    yMean += w[s] * y[s * outputs + o];
    for (let i = 0; i < M; i++) zMean[i] += w[s] * Z[s * M + i];
  }
  yMean /= sw;
  for (let i = 0; i < M; i++) zMean[i] /= sw;
  // √w-scaled, centred rows, plus M ridge rows √λ·I
  const A = new Float64Array((n + M) * M);
  const b = new Float64Array(n + M);
  for (let s = 0; s < n; s++) {
    const q = Math.sqrt(w[s]);
    for (let i = 0; i < M; i++) A[s * M + i] = q * (Z[s * M + i] - zMean[i]);
    b[s] = q * (y[s * outputs + o] - yMean);
  }
  for (let i = 0; i < M; i++) A[(n + i) * M + i] = Math.sqrt(RIDGE * sw);
  const { x: coef } = lstsqQR(A, n + M, M, b);
  let intercept = yMean;
  for (let i = 0; i < M; i++) intercept -= coef[i] * zMean[i];
  let ssRes = 0;
  let ssTot = 0;
  for (let s = 0; s < n; s++) {
    let fit = intercept;
    for (let i = 0; i < M; i++) fit += coef[i] * Z[s * M + i];
    ssRes += w[s] * (y[s * outputs + o] - fit) ** 2;
    ssTot += w[s] * (y[s * outputs + o] - yMean) ** 2;
  }
  return { coef, intercept, r2: ssTot > 0 ? 1 - ssRes / ssTot : 1 };
}
