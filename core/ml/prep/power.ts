/**
 * Math transforms of numeric columns, in place: log1p, sqrt, power (x^p), and Box-Cox /
 * Yeo-Johnson with the lambda found by maximum likelihood as scikit-learn 1.2's PowerTransformer
 * (scipy's brent from the bracket (-2, 2), same objective), optionally standardised afterwards
 * (PowerTransformer(standardize=True), its default). Missing values stay missing and are ignored
 * when fitting.
 */
import { z } from 'zod';
import { NUMERIC, param, type Resolved } from '../../spec/index.ts';
import { FlowlineError } from '../../spec/index.ts';
import { withColumns } from '../frame.ts';
import { brent } from './brent.ts';
import { fitValues, mapColumns, noValues } from './numeric.ts';
import { moments, numpyVar, pairwiseSum, safeScale } from './stats.ts';
import type { StepKind } from './types.ts';

export type PowerMethod = 'log1p' | 'sqrt' | 'power' | 'box-cox' | 'yeo-johnson';

export const powerParams = z.object({
  columns: param.selection('Numeric columns to transform', { types: NUMERIC }).default([]),
  method: z.enum(['log1p', 'sqrt', 'power', 'box-cox', 'yeo-johnson']).default('yeo-johnson').describe('box-cox needs values > 0; yeo-johnson takes any sign'),
  exponent: z.number().default(2).describe('Exponent for "power"'),
  standardize: z.boolean().default(true).describe('Rescale the result to mean 0 and standard deviation 1 (as scikit-learn PowerTransformer)'),
});
export type PowerParams = Resolved<z.infer<typeof powerParams>>;

export interface PowerState {
  method: PowerMethod;
  columns: string[];
  exponent: number;
  /** Box-Cox / Yeo-Johnson lambda per column (empty otherwise). */
  lambdas: number[];
  /** When standardising: mean and scale per column, of the transformed fitting rows. */
  mean: number[] | null;
  scale: number[] | null;
}

const WHO = 'Transform Values';
const SPACING_1 = Number.EPSILON; // numpy.spacing(1.0)

/** scipy.special.boxcox. */
export function boxCox(x: number, lmbda: number): number {
  return Math.abs(lmbda) < 1e-19 ? Math.log(x) : Math.expm1(lmbda * Math.log(x)) / lmbda;
}

/** scikit-learn's PowerTransformer._yeo_johnson_transform for one value. */
export function yeoJohnson(x: number, lmbda: number): number {
  if (x >= 0) return Math.abs(lmbda) < SPACING_1 ? Math.log1p(x) : (Math.pow(x + 1, lmbda) - 1) / lmbda;
  if (Number.isNaN(x)) return NaN;
  return Math.abs(lmbda - 2) > SPACING_1 ? -(Math.pow(-x + 1, 2 - lmbda) - 1) / (2 - lmbda) : -Math.log1p(-x);
}

// The objectives use numpy's own summation order so the optimiser sees the same numbers.
const variance = (values: Float64Array) => numpyVar(values);

/** scipy.stats.boxcox_llf (scipy 1.10). */
function boxCoxLlf(lmb: number, data: Float64Array, logSum: number, logData: Float64Array): number {
  const n = data.length;
  let v: number;
  if (lmb === 0) v = variance(logData);
  else {
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) t[i] = Math.pow(data[i], lmb) / lmb;
    v = variance(t);
  }
  return (lmb - 1) * logSum - (n / 2) * Math.log(v);
}

export function boxCoxLambda(data: Float64Array): number {
  const logData = data.map(Math.log);
  const logSum = pairwiseSum(logData);
  return brent((l) => -boxCoxLlf(l, data, logSum, logData), -2, 2);
}

export function yeoJohnsonLambda(x: Float64Array): number {
  const n = x.length;
  const signedLog = pairwiseSum(x.map((v) => Math.sign(v) * Math.log1p(Math.abs(v))));
  const t = new Float64Array(n);
  const tiny = 2.2250738585072014e-308;
  return brent((lmbda) => {
    for (let i = 0; i < n; i++) t[i] = yeoJohnson(x[i], lmbda);
    const v = variance(t);
    if (!(v >= tiny)) return Infinity;
    return -(-(n / 2) * Math.log(v) + (lmbda - 1) * signedLog);
  }, -2, 2);
}

function finite(values: Float64Array): Float64Array {
  return values.filter((v) => !Number.isNaN(v));
}

function transformer(state: Pick<PowerState, 'method' | 'exponent' | 'lambdas'>): (x: number, j: number) => number {
  switch (state.method) {
    case 'log1p':
      return (x) => Math.log1p(x);
    case 'sqrt':
      return (x) => Math.sqrt(x);
    case 'power':
      return (x) => Math.pow(x, state.exponent);
    case 'box-cox':
      return (x, j) => boxCox(x, state.lambdas[j]);
    case 'yeo-johnson':
      return (x, j) => yeoJohnson(x, state.lambdas[j]);
  }
}

export const power: StepKind<PowerParams, PowerState, typeof powerParams> = {
  kind: 'power',
  title: WHO,
  params: powerParams,
  exportable: true,
  fit(frame, params, rowIndex) {
    const lambdas: number[] = [];
    const fitted: Float64Array[] = [];
    for (const name of params.columns) {
      const v = finite(fitValues(frame, name, WHO, rowIndex));
      if (v.length === 0) throw noValues(WHO, name);
      if (params.method === 'box-cox') {
        if (v.some((x) => x <= 0)) {
          throw new FlowlineError({
            code: 'BAD_DATA',
            message: `${WHO}: Box-Cox needs strictly positive values, but column '${name}' has zero or negative values.`,
            hint: 'Use Yeo-Johnson (it handles any sign), or log1p for counts.',
            column: name,
          });
        }
        lambdas.push(boxCoxLambda(v));
      } else if (params.method === 'yeo-johnson') lambdas.push(yeoJohnsonLambda(v));
      fitted.push(v);
    }
    const state: PowerState = { method: params.method, columns: [...params.columns], exponent: params.exponent ?? 2, lambdas, mean: null, scale: null };
    if (params.standardize) {
      const f = transformer(state);
      state.mean = [];
      state.scale = [];
      fitted.forEach((v, j) => {
        const m = moments(v.map((x) => f(x, j)));
        state.mean!.push(m.mean);
        state.scale!.push(safeScale(Math.sqrt(m.variance)));
      });
    }
    return state;
  },
  apply(state, frame) {
    const f = transformer(state);
    const { mean, scale } = state;
    const g = mean && scale ? (x: number, j: number) => (f(x, j) - mean[j]) / scale[j] : f;
    return withColumns(frame, mapColumns(frame, state.columns, WHO, g));
  },
  io: (params) => ({ inputs: [...params.columns], outputs: [...params.columns] }),
};
