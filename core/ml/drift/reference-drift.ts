/**
 * One model's training rows against another's training reference, when only the first model's
 * reference is at hand (the registry's drift gate: a candidate against the production model).
 * The candidate's rows are stood in for by what its reference keeps: a number column by its sketch
 * — every training value when there were at most REFERENCE_SKETCH of them (then the statistics are
 * exact), else evenly spaced quantiles — plus its missing values in the same proportion; a text
 * column by its counts. The statistics and verdicts are monitor's (drift.ts).
 */
import type { CategoryReference, NumericReference, TrainingReference } from '../../spec/drift.ts';
import { DEFAULT_THRESHOLDS, judge, type DriftReport, type DriftThresholds } from './drift.ts';

/** Most values a text column is expanded to; larger counts are scaled down in proportion. */
const MAX_CATEGORY_ROWS = 100_000;

export function referenceDrift(reference: TrainingReference, current: TrainingReference, thresholds: DriftThresholds = DEFAULT_THRESHOLDS): DriftReport {
  const byName = new Map(current.columns.map((c) => [c.column, c]));
  const columns = [];
  const missingColumns: string[] = [];
  for (const ref of reference.columns) {
    const cur = byName.get(ref.column);
    if (!cur) missingColumns.push(ref.column);
    else columns.push(judge(ref, standInValues(cur), thresholds));
  }
  const prediction = reference.prediction && current.prediction ? judge(reference.prediction, standInValues(current.prediction), thresholds) : undefined;
  const drifted = [...columns.filter((c) => c.drifted).map((c) => c.column), ...missingColumns];
  return { rows: current.rows, referenceRows: reference.rows, thresholds, columns, ...(prediction ? { prediction } : {}), missingColumns, drifted, verdict: drifted.length || prediction?.drifted ? 'drift' : 'ok' };
}

/** Values with the distribution (and missing share) a reference column summarises. */
export function standInValues(ref: NumericReference | CategoryReference): Float64Array | (string | null)[] {
  if (ref.kind === 'number') {
    const present = ref.count - ref.missing;
    const missing = present === 0 ? Math.min(ref.missing, 1) : ref.sketch.length === present ? ref.missing : Math.round((ref.missing * ref.sketch.length) / present);
    const out = new Float64Array(ref.sketch.length + missing).fill(Number.NaN);
    out.set(ref.sketch);
    return out;
  }
  const total = Object.values(ref.counts).reduce((s, c) => s + c, 0) + ref.missing;
  const scale = total > MAX_CATEGORY_ROWS ? MAX_CATEGORY_ROWS / total : 1;
  const out: (string | null)[] = [];
  for (const [value, count] of Object.entries(ref.counts)) for (let i = 0, n = Math.round(count * scale); i < n; i++) out.push(value);
  for (let i = 0, n = Math.round(ref.missing * scale); i < n; i++) out.push(null);
  return out;
}
