/**
 * Small synthetic problems and fitted learners for the explanation tests (not a test file).
 * Feature `unused` (the last column) is pure noise that no target depends on; learners that pick
 * features at random may still split on it, so tests that need it unused build their own model.
 */
import { learnerByKind } from '../../../../core/ml/learners/index.ts';
import type { Matrix } from '../../../../core/ml/learners/types.ts';
import { Rng } from '../../../../core/spec/random.ts';
import type { Task } from '../../../../core/spec/values.ts';

export interface Problem {
  X: Matrix;
  y?: Float64Array;
  nClasses?: number;
  featureNames: string[];
  task: Task;
}

/** n rows × p features (normal), with `missing` of the cells NaN (features 0 and 1 only). */
export function features(n: number, p: number, seed: number, missing = 0): Matrix {
  const rng = new Rng(seed);
  const data = new Float64Array(n * p);
  for (let i = 0; i < n * p; i++) data[i] = Math.round(rng.normal() * 100) / 100;
  if (missing > 0) for (let i = 0; i < n; i++) for (let j = 0; j < Math.min(2, p); j++) if (rng.next() < missing) data[i * p + j] = NaN;
  return { data, rows: n, cols: p };
}

const v = (X: Matrix, i: number, j: number) => {
  if (j >= X.cols) return 0;
  const x = X.data[i * X.cols + j];
  return Number.isNaN(x) ? 0 : x;
};

export function problem(task: Task, n = 160, p = 6, seed = 3, missing = 0): Problem {
  const X = features(n, p, seed, missing);
  const featureNames = Array.from({ length: p }, (_, j) => `f${j}`);
  const score = (i: number) => v(X, i, 0) + 0.8 * v(X, i, 1) * v(X, i, 2) - 0.6 * v(X, i, 3) + 0.3 * v(X, i, 4);
  if (task === 'regression') return { X, y: Float64Array.from({ length: n }, (_, i) => score(i)), featureNames, task };
  if (task === 'binary') return { X, y: Float64Array.from({ length: n }, (_, i) => (score(i) > 0 ? 1 : 0)), nClasses: 2, featureNames, task };
  if (task === 'multiclass') return { X, y: Float64Array.from({ length: n }, (_, i) => (score(i) < -0.5 ? 0 : score(i) < 0.5 ? 1 : 2)), nClasses: 3, featureNames, task };
  return { X, featureNames, task };
}

export function fitLearner(kind: string, pr: Problem, params: Record<string, unknown> = {}, seed = 1): unknown {
  const learner = learnerByKind(kind);
  return learner.fit({ X: pr.X, y: pr.y, nClasses: pr.nClasses, featureNames: pr.featureNames }, learner.params.parse(params), { task: pr.task, seed });
}

/** The first `rows` rows of X. */
export function head(X: Matrix, rows: number): Matrix {
  return { data: X.data.slice(0, rows * X.cols), rows, cols: X.cols };
}
