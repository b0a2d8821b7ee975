/**
 * Permutation importance (Breiman 2001; scikit-learn's permutation_importance) on RAW input
 * columns: shuffle one column of the rows given, replay the recipe, predict, and see how much a
 * metric drops; repeated with different shuffles, reported as mean ± std. Shuffling before the
 * recipe moves a column's one-hot group (or date parts) together. A column the model does not
 * use leaves every prediction unchanged, so its importance is exactly 0.
 * Cost: columns × repeats × (recipe + predict) on the rows given.
 */
import type { Task } from '../../spec/values.ts';
import type { Frame, FrameColumn } from '../frame.ts';
import type { Prediction } from '../learners/types.ts';
import { METRIC_DIRECTION, scoreClassification, scoreRegression } from '../metrics.ts';
import { Rng, deriveSeed } from '../../spec/random.ts';
import { predictRaw, withColumn, type RawModel } from './raw-model.ts';

export const PERMUTATION_METRICS = ['auto', 'accuracy', 'precision', 'recall', 'f1', 'f1_macro', 'precision_macro', 'recall_macro', 'roc_auc', 'log_loss', 'rmse', 'mae', 'r2'] as const;
export type PermutationMetric = (typeof PERMUTATION_METRICS)[number];

/** scikit-learn's default scorer: accuracy for classifiers, R² for regression. */
export function resolveMetric(metric: PermutationMetric, task: Task): Exclude<PermutationMetric, 'auto'> {
  if (metric !== 'auto') return metric;
  return task === 'regression' ? 'r2' : 'accuracy';
}

/** One metric of a prediction (class indices in y for classifiers); NaN when it does not apply. */
export function scoreOf(metric: string, task: Task, y: Float64Array, p: Prediction, nClasses: number): number {
  const s = task === 'regression' ? scoreRegression(y, p.values) : scoreClassification(task as 'binary' | 'multiclass', y, p.values, nClasses, p.proba);
  return s.values[metric] ?? NaN;
}

export interface PermutationJob {
  model: RawModel;
  raw: Frame;
  /** Targets of the rows (class indices, or values); rows without one are already left out. */
  y: Float64Array;
  nClasses: number;
  metric: string;
  columns: string[];
  repeats: number;
  seed: number;
}

/** Drop in the metric per column and repeat ([column][repeat]); positive = the column matters. */
export function permutationImportance(job: PermutationJob): { baseline: number; drops: number[][] } {
  const { model, raw, y, metric } = job;
  const sign = METRIC_DIRECTION[metric] === 'min' ? -1 : 1;
  const baseline = scoreOf(metric, model.task, y, predictRaw(model, raw), job.nClasses);
  const drops = job.columns.map((column) => {
    const col = raw.columns[column];
    return Array.from({ length: job.repeats }, (_, rep) => {
      const order = new Rng(deriveSeed(job.seed, `${column}\u0000${rep}`)).permutation(raw.rows);
      const shuffled: FrameColumn = col instanceof Float64Array ? Float64Array.from(order, (i) => col[i]) : Array.from(order, (i) => col[i]);
      const score = scoreOf(metric, model.task, y, predictRaw(model, withColumn(raw, column, shuffled)), job.nClasses);
      return sign * (baseline - score);
    });
  });
  return { baseline, drops };
}

export function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { mean, std };
}
