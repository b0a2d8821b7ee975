import { z } from 'zod';
import { FlowlineError } from '../../../spec/errors.ts';
import type { Task } from '../../../spec/values.ts';
import { nClassesOf, requireTarget, weightsOf } from '../check-input.ts';
import type { FitData, FitOptions, Matrix } from '../types.ts';
import { Rng } from '../../../spec/random.ts';

export const classWeightParam = z
  .enum(['none', 'balanced'])
  .default('none')
  .describe('Weight classes inversely to their frequency ("balanced", as scikit-learn) or not at all.');

export const maxFeaturesParam = z
  .union([z.enum(['auto', 'sqrt', 'log2', 'all']), z.number().positive()])
  .default('auto')
  .describe('Features tried per split: "sqrt", "log2", "all", a fraction in (0, 1] or a count. "auto": sqrt for a forest classifier, all otherwise (scikit-learn 1.2).');

/** Validates what reaches a tree learner; returns the number of classes (0 for regression). */
export function checkFitData(data: FitData, options: FitOptions, needTarget: boolean): number {
  const { X } = data;
  if (X.rows === 0) {
    throw new FlowlineError({ code: 'BAD_DATA', message: 'There are no training rows.', hint: 'Check the filters and the split before this step: the training table is empty.' });
  }
  if (X.cols === 0) {
    throw new FlowlineError({ code: 'BAD_DATA', message: 'There are no feature columns to learn from.', hint: 'Select at least one numeric or encoded feature column.' });
  }
  if (X.data.length !== X.rows * X.cols) {
    throw new FlowlineError({ code: 'INTERNAL', message: `The feature matrix holds ${X.data.length} numbers, expected ${X.rows} × ${X.cols}.` });
  }
  for (let i = 0; i < X.data.length; i++) {
    const v = X.data[i];
    if (v === Infinity || v === -Infinity) {
      const col = data.featureNames[i % X.cols] ?? `#${i % X.cols}`;
      throw new FlowlineError({ code: 'BAD_DATA', column: col, message: `Column "${col}" holds an infinite value (row ${Math.floor(i / X.cols) + 1}).`, hint: 'Replace infinities (e.g. from a division by zero) with a number or leave them empty.' });
    }
  }
  if (!needTarget) return 0;
  // Target and weights: the checks every learner shares (check-input.ts).
  const y = requireTarget(data, false, 'The learner');
  weightsOf(data);
  if (options.task === 'regression') return 0;
  const k = nClassesOf(data);
  for (let i = 0; i < y.length; i++) {
    if (y[i] < 0 || y[i] >= k || y[i] !== Math.floor(y[i])) {
      throw new FlowlineError({ code: 'BAD_TARGET', message: `Training row ${i + 1} has class index ${y[i]}, outside 0..${k - 1}.` });
    }
  }
  if (k < 2) {
    throw new FlowlineError({ code: 'BAD_TARGET', message: 'The target has a single class in the training rows; a classifier needs at least two.', hint: 'Check the target column and the split (stratify by the target).' });
  }
  return k;
}



/** Features tried per split for a max_features setting. */
export function resolveMaxFeatures(setting: 'auto' | 'sqrt' | 'log2' | 'all' | number, cols: number, autoIsSqrt: boolean): number {
  let m: number;
  if (setting === 'auto') m = autoIsSqrt ? Math.floor(Math.sqrt(cols)) : cols;
  else if (setting === 'sqrt') m = Math.floor(Math.sqrt(cols));
  else if (setting === 'log2') m = Math.floor(Math.log2(cols));
  else if (setting === 'all') m = cols;
  else if (setting <= 1) m = Math.floor(setting * cols);
  else m = Math.floor(setting);
  return Math.min(cols, Math.max(1, m));
}

/** Class probabilities → predicted class index (first maximum, like numpy argmax). */
export function argmaxRows(proba: Float64Array, rows: number, k: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[r * k + c] > proba[r * k + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** Rows of a matrix, copied. */
export function takeRows(X: Matrix, rows: ArrayLike<number>): Matrix {
  const out = new Float64Array(rows.length * X.cols);
  for (let i = 0; i < rows.length; i++) out.set(X.data.subarray(rows[i] * X.cols, (rows[i] + 1) * X.cols), i * X.cols);
  return { data: out, rows: rows.length, cols: X.cols };
}

export function takeValues(a: Float64Array, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = a[rows[i]];
  return out;
}

/**
 * A seeded train/validation split (stratified by class for classification), used for early
 * stopping. Returns sorted row indices of both parts.
 */
export function validationSplit(y: Float64Array, nClasses: number, fraction: number, seed: number): { train: Uint32Array; valid: Uint32Array } {
  const n = y.length;
  const rng = new Rng(seed);
  const isValid = new Uint8Array(n);
  if (nClasses > 0) {
    const byClass: number[][] = Array.from({ length: nClasses }, () => []);
    for (let i = 0; i < n; i++) byClass[y[i]].push(i);
    for (const rowsK of byClass) {
      const take = Math.round(rowsK.length * fraction);
      const perm = rng.permutation(rowsK.length);
      for (let i = 0; i < take; i++) isValid[rowsK[perm[i]]] = 1;
    }
  } else {
    const take = Math.ceil(n * fraction);
    const perm = rng.permutation(n);
    for (let i = 0; i < take; i++) isValid[perm[i]] = 1;
  }
  let nv = 0;
  for (let i = 0; i < n; i++) nv += isValid[i];
  const train = new Uint32Array(n - nv);
  const valid = new Uint32Array(nv);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (isValid[i]) valid[b++] = i;
    else train[a++] = i;
  }
  return { train, valid };
}

export type ClassifyTask = Extract<Task, 'binary' | 'multiclass'>;
export const isClassification = (task: Task): task is ClassifyTask => task === 'binary' || task === 'multiclass';
