/**
 * Principal components as scikit-learn 1.2's PCA(n_components=k) with the full solver: centre on
 * the fitting rows' means, eigendecompose the covariance (cyclic Jacobi, fixed order), components
 * sorted by variance, signs fixed as its svd_flip(u_based_decision=True): in each component the
 * fitting row with the largest |score| gets a positive score. Outputs `pc1..pck` replace the
 * inputs (unless `keep_original`). Missing values are an error: impute first.
 */
import { z } from 'zod';
import { NUMERIC, param, type Resolved } from '../../spec/index.ts';
import { FlowlineError } from '../../spec/index.ts';
import { numericColumn, withColumns, type NewColumn } from '../frame.ts';
import type { StepKind } from './types.ts';

export const pcaParams = z.object({
  columns: param.selection('Numeric columns to combine (no missing values: impute first)', { types: NUMERIC }).default([]),
  n_components: z.number().int().min(1).default(2).describe('Number of components to keep'),
  prefix: z.string().min(1).default('pc').describe('Names of the new columns: <prefix>1, <prefix>2, …'),
  keep_original: z.boolean().default(false).describe('Keep the input columns too'),
});
export type PcaParams = Resolved<z.infer<typeof pcaParams>>;

export interface PcaState {
  columns: string[];
  mean: number[];
  /** k rows of p loadings. */
  components: number[][];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  outputs: string[];
  keepOriginal: boolean;
}

const WHO = 'Reduce (PCA)';

/** Eigen-decomposition of a symmetric p×p matrix (row-major) by cyclic Jacobi rotations. */
export function symmetricEigen(a: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(p * p);
  for (let i = 0; i < p; i++) V[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += A[i * p + j] * A[i * p + j];
    if (off === 0) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = A[i * p + j];
        if (aij === 0) continue;
        const theta = (A[j * p + j] - A[i * p + i]) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const aki = A[k * p + i];
          const akj = A[k * p + j];
          A[k * p + i] = c * aki - s * akj;
          A[k * p + j] = s * aki + c * akj;
        }
        for (let k = 0; k < p; k++) {
          const aik = A[i * p + k];
          const ajk = A[j * p + k];
          A[i * p + k] = c * aik - s * ajk;
          A[j * p + k] = s * aik + c * ajk;
        }
        for (let k = 0; k < p; k++) {
          const vki = V[k * p + i];
          const vkj = V[k * p + j];
          V[k * p + i] = c * vki - s * vkj;
          V[k * p + j] = s * vki + c * vkj;
        }
      }
    }
  }
  const values = new Float64Array(p);
  for (let i = 0; i < p; i++) values[i] = A[i * p + i];
  return { values, vectors: V };
}

export const pca: StepKind<PcaParams, PcaState, typeof pcaParams> = {
  kind: 'pca',
  title: WHO,
  params: pcaParams,
  exportable: true,
  fit(frame, params, rowIndex) {
    const p = params.columns.length;
    const k = params.n_components;
    if (!(k >= 1 && k <= p)) throw new FlowlineError({ code: 'INVALID_PARAM', message: `${WHO}: the number of components must be between 1 and the number of columns (${p}).`, path: ['n_components'] });
    const cols = params.columns.map((c) => numericColumn(frame, c, WHO));
    const n = rowIndex ? rowIndex.length : frame.rows;
    if (n < 2) throw new FlowlineError({ code: 'BAD_DATA', message: `${WHO}: needs at least 2 rows to fit.` });
    const X = new Float64Array(n * p);
    for (let j = 0; j < p; j++) {
      const c = cols[j];
      for (let r = 0; r < n; r++) {
        const v = c[rowIndex ? rowIndex[r] : r];
        if (Number.isNaN(v)) throw new FlowlineError({ code: 'BAD_DATA', message: `${WHO}: column '${params.columns[j]}' has missing values.`, hint: 'Add Impute Missing before Reduce (PCA).', column: params.columns[j] });
        X[r * p + j] = v;
      }
    }
    const mean = new Array<number>(p).fill(0);
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += X[r * p + j];
      mean[j] = s / n;
    }
    for (let r = 0; r < n; r++) for (let j = 0; j < p; j++) X[r * p + j] -= mean[j];
    const cov = new Float64Array(p * p);
    for (let r = 0; r < n; r++) {
      const o = r * p;
      for (let i = 0; i < p; i++) {
        const xi = X[o + i];
        for (let j = i; j < p; j++) cov[i * p + j] += xi * X[o + j];
      }
    }
    for (let i = 0; i < p; i++) for (let j = i; j < p; j++) cov[j * p + i] = cov[i * p + j] /= n - 1;
    const { values, vectors } = symmetricEigen(cov, p);
    const order = [...values.keys()].sort((a, b) => values[b] - values[a] || a - b);
    let total = 0;
    for (let i = 0; i < p; i++) total += Math.max(values[i], 0);
    const components: number[][] = [];
    for (const c of order.slice(0, k)) {
      const v = Array.from({ length: p }, (_, i) => vectors[i * p + c]);
      // svd_flip, u-based: the row with the largest |score| must score positive
      let best = 0;
      let bestAbs = -1;
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += X[r * p + j] * v[j];
        if (Math.abs(s) > bestAbs) [best, bestAbs] = [s, Math.abs(s)];
      }
      components.push(best < 0 ? v.map((x) => -x) : v);
    }
    const explainedVariance = order.slice(0, k).map((c) => Math.max(values[c], 0));
    const prefix = params.prefix ?? 'pc';
    return {
      columns: [...params.columns],
      mean,
      components,
      explainedVariance,
      explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
      outputs: components.map((_, i) => `${prefix}${i + 1}`),
      keepOriginal: !!params.keep_original,
    };
  },
  apply(state, frame) {
    const cols = state.columns.map((c) => numericColumn(frame, c, WHO));
    const p = cols.length;
    const add: NewColumn[] = state.components.map((comp, c) => {
      const out = new Float64Array(frame.rows);
      for (let i = 0; i < frame.rows; i++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += (cols[j][i] - state.mean[j]) * comp[j];
        out[i] = s;
      }
      return { name: state.outputs[c], type: 'number', values: out };
    });
    return withColumns(frame, add, state.keepOriginal ? [] : state.columns);
  },
  io: (params) => ({ inputs: [...params.columns], outputs: Array.from({ length: params.n_components }, (_, i) => `${params.prefix ?? 'pc'}${i + 1}`) }),
  drops: (params) => (params.keep_original ? [] : [...params.columns]),
};
