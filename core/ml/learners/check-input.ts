import { FlowlineError } from '../../spec/errors.ts';
import type { FitData, Matrix } from './types.ts';

/**
 * Learners other than trees cannot use missing values: the recipe (impute) should have filled
 * them. Say which feature is the problem, by name, and what to do.
 */
export function requireFinite(X: Matrix, featureNames: string[], learnerTitle: string): void {
  const { data, rows: n, cols: p } = X;
  let bad = -1;
  outer: for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(data[o + j])) {
        bad = j;
        break outer;
      }
    }
  }
  if (bad < 0) return;
  const name = featureNames[bad] ?? `#${bad + 1}`;
  let missing = 0;
  let infinite = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i * p + bad];
    if (Number.isNaN(v)) missing++;
    else if (!Number.isFinite(v)) infinite++;
  }
  const what =
    missing === n
      ? `is empty: all ${n} values are missing`
      : missing > 0
        ? `has ${missing} missing value${missing === 1 ? '' : 's'} out of ${n}`
        : `has ${infinite} infinite value${infinite === 1 ? '' : 's'}`;
  throw new FlowlineError({
    code: 'BAD_DATA',
    column: name,
    message: `Feature "${name}" ${what}; ${learnerTitle} needs a number in every row.`,
    hint:
      missing === n
        ? `Drop the column "${name}" before training, or check why it is empty.`
        : `Add an Impute step for "${name}" before training (or use a tree model, which handles missing values).`,
  });
}

/** Checks the target of a supervised fit: present, finite, and classes in 0..k-1. */
export function requireTarget(data: FitData, classification: boolean, learnerTitle: string): Float64Array {
  const y = data.y;
  if (!y || y.length !== data.X.rows) {
    throw new FlowlineError({ code: 'BAD_TARGET', message: `${learnerTitle} needs a target column with one value per row.`, hint: 'Pick the target column on the Train node.' });
  }
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) {
      throw new FlowlineError({ code: 'BAD_TARGET', message: `The target is missing in ${countBad(y)} training row(s), first in row ${i + 1}.`, hint: 'Filter out rows with no target before training.' });
    }
  }
  if (classification) {
    const k = nClassesOf(data);
    if (k < 2) throw new FlowlineError({ code: 'BAD_TARGET', message: `${learnerTitle} needs at least two classes in the target; the training rows have one.`, hint: 'Check the target column and the split.' });
  }
  return y;
}

function countBad(y: Float64Array): number {
  let c = 0;
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) c++;
  return c;
}

export function nClassesOf(data: FitData): number {
  if (data.nClasses !== undefined) return data.nClasses;
  let max = -1;
  const y = data.y!;
  for (let i = 0; i < y.length; i++) if (y[i] > max) max = y[i];
  return max + 1;
}

/** Sample weights, or all ones; refuses negative or non-finite weights. */
export function weightsOf(data: FitData): Float64Array {
  const n = data.X.rows;
  if (!data.sampleWeight) return new Float64Array(n).fill(1);
  const w = data.sampleWeight;
  for (let i = 0; i < n; i++) {
    if (!(w[i] >= 0) || !Number.isFinite(w[i])) {
      throw new FlowlineError({ code: 'BAD_DATA', message: `Sample weight in row ${i + 1} is ${w[i]}; weights must be finite and not negative.`, hint: 'Check the weight column.' });
    }
  }
  return w;
}

/** The same number of features at predict time as at fit time. */
export function requireCols(X: Matrix, expected: number, learnerTitle: string): void {
  if (X.cols !== expected) {
    throw new FlowlineError({ code: 'BAD_DATA', message: `${learnerTitle} was trained on ${expected} features but got ${X.cols}.`, hint: 'Retrain the model: its inputs changed.' });
  }
}

/** A class_weight setting: none, "balanced" (n / (k · count_k), as scikit-learn), or class index → weight. */
export type ClassWeight = 'none' | 'balanced' | Record<string, number> | null;

/** Per-row weights: sample weights (or ones) × class weights. Regression passes k = 0 (no class weights). */
export function rowWeights(data: FitData, y: Float64Array | undefined, k: number, classWeight: ClassWeight): Float64Array {
  const sw = Float64Array.from(weightsOf(data));
  if (classWeight === null || classWeight === 'none' || k === 0 || !y) return sw;
  const cw = new Float64Array(k).fill(1);
  if (classWeight === 'balanced') {
    const counts = new Float64Array(k);
    for (let i = 0; i < y.length; i++) counts[y[i]]++;
    for (let c = 0; c < k; c++) cw[c] = counts[c] > 0 ? y.length / (k * counts[c]) : 1;
  } else {
    for (const [key, w] of Object.entries(classWeight)) {
      const c = Number(key);
      if (!Number.isInteger(c) || c < 0 || c >= k) {
        throw new FlowlineError({ code: 'INVALID_PARAM', path: ['class_weight'], message: `class_weight names class "${key}", but classes are numbered 0 to ${k - 1}.`, hint: 'Use class indices as keys, or class_weight: "balanced".' });
      }
      cw[c] = w;
    }
  }
  for (let i = 0; i < y.length; i++) sw[i] *= cw[y[i]];
  return sw;
}

/** The logistic function, stable for any sign with one exp (exp(-|z|) is exp(-z) or exp(z)). */
export function sigmoid(z: number): number {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}
