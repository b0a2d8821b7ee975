/**
 * The training reference of a model (core/spec/drift.ts), summarised from its raw training rows
 * in the worker that builds the training matrix: the exported model carries it, so drift checks
 * need neither the training data nor the pipeline.
 */
import { OTHER_CATEGORY, PREDICTION_COLUMN, REFERENCE_FORMAT, REFERENCE_SKETCH, REFERENCE_TOP, type CategoryReference, type NumericReference, type TrainingReference } from '../../spec/drift.ts';
import type { ColumnSchema } from '../../spec/values.ts';
import type { Frame } from '../frame.ts';
import { binCounts, sortedFinite } from './stats.ts';

export function trainingReference(frame: Frame, columns: readonly ColumnSchema[]): TrainingReference {
  const out: TrainingReference['columns'] = [];
  for (const { name } of columns) {
    const values = frame.columns[name];
    if (!values) continue;
    out.push(values instanceof Float64Array ? numericReference(name, values) : categoryReference(name, values));
  }
  return { format: REFERENCE_FORMAT, version: 1, rows: frame.rows, columns: out };
}

/** The value at rank q·(n−1), linearly interpolated (numpy's default quantile). */
export function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function numericReference(column: string, values: Float64Array): NumericReference {
  const sorted = sortedFinite(values);
  const n = sorted.length;
  let mean = 0;
  for (const v of sorted) mean += v;
  mean = n ? mean / n : Number.NaN;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) ** 2;
  const sketch = n <= REFERENCE_SKETCH ? Array.from(sorted) : Array.from({ length: REFERENCE_SKETCH }, (_, i) => quantile(sorted, i / (REFERENCE_SKETCH - 1)));
  const edges = n ? [...new Set(Array.from({ length: 9 }, (_, i) => quantile(sorted, (i + 1) / 10)))] : [];
  // The last edge equal to the maximum would leave an always-empty top bin.
  while (edges.length && edges[edges.length - 1] >= sorted[n - 1]) edges.pop();
  const counts = binCounts(sorted, edges);
  return {
    kind: 'number',
    column,
    count: values.length,
    missing: values.length - n,
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: n ? sorted[0] : Number.NaN,
    max: n ? sorted[n - 1] : Number.NaN,
    sketch,
    edges,
    proportions: counts.map((c) => (n ? c / n : 0)),
  };
}

/** The predictions on the training rows as the reference's "prediction" column. */
export function predictionReference(task: string, classes: readonly (string | number)[] | undefined, values: Float64Array): NumericReference | CategoryReference {
  const column = predictionValues(task, classes, values);
  return column instanceof Float64Array ? numericReference(PREDICTION_COLUMN, column) : categoryReference(PREDICTION_COLUMN, column);
}

/** Predictions as the reference's "prediction" column holds them: class labels or cluster ids as text, else numbers. */
export function predictionValues(task: string, classes: readonly (string | number)[] | undefined, values: Float64Array): Float64Array | string[] {
  if (classes) return Array.from(values, (v) => String(classes[v]));
  if (task === 'clustering') return Array.from(values, (v) => String(v));
  return values;
}

export function categoryReference(column: string, values: ArrayLike<string | null>): CategoryReference {
  const all = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) missing++;
    else all.set(v, (all.get(v) ?? 0) + 1);
  }
  const ranked = [...all].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const counts: Record<string, number> = {};
  for (const [v, c] of ranked.slice(0, REFERENCE_TOP)) counts[v] = c;
  const rest = ranked.slice(REFERENCE_TOP).reduce((s, [, c]) => s + c, 0);
  if (rest) counts[OTHER_CATEGORY] = (counts[OTHER_CATEGORY] ?? 0) + rest;
  return { kind: 'category', column, count: values.length, missing, counts };
}
