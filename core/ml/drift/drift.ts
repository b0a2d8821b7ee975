/**
 * New rows against a model's training reference: per column, the statistics of stats.ts, the
 * change in the missing-value rate, a verdict against thresholds — and an overall verdict
 * (docs/lifecycle.md, "Drift").
 */
import { OTHER_CATEGORY, type CategoryReference, type NumericReference, type TrainingReference } from '../../spec/drift.ts';
import type { Frame } from '../frame.ts';
import { binCounts, chiSquare, jensenShannon, ks2samp, psi, PSI_FLOOR, sortedFinite, wasserstein } from './stats.ts';

export interface DriftThresholds {
  /** PSI at or above this is drift (numbers and categories). */
  psi: number;
  /** KS statistic D at or above this is drift (numbers). */
  ks: number;
  /** Jensen–Shannon distance (base 2) at or above this is drift (categories). */
  jensenShannon: number;
  /** Change in the share of missing values at or above this is drift. */
  missingRate: number;
}

export const DEFAULT_THRESHOLDS: DriftThresholds = { psi: 0.2, ks: 0.2, jensenShannon: 0.2, missingRate: 0.1 };

export interface ColumnDrift {
  column: string;
  kind: 'number' | 'category';
  rows: number;
  psi: number;
  ks?: { statistic: number; pValue: number };
  wasserstein?: number;
  chiSquare?: { statistic: number; pValue: number; dof: number };
  jensenShannon?: number;
  missingRate: { reference: number; current: number };
  /** Categories never seen in training, with their counts. */
  newCategories?: Record<string, number>;
  drifted: boolean;
  /** Which thresholds it crossed, in words ("PSI 0.41 >= 0.2"). */
  reasons: string[];
}

export interface DriftReport {
  rows: number;
  referenceRows: number;
  thresholds: DriftThresholds;
  columns: ColumnDrift[];
  /** The drift of the model's predictions (when they were given), judged like a column. */
  prediction?: ColumnDrift;
  /** Columns the model reads that the new rows do not have. */
  missingColumns: string[];
  /** Input columns that drifted (or are missing); the prediction's drift is in `prediction`. */
  drifted: string[];
  /** 'drift' when any input column or the prediction drifted. */
  verdict: 'drift' | 'ok';
}

const fmt = (v: number) => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(3) : v.toExponential(2));

/**
 * `predictions`: the model's predictions for the new rows (scored, or from a request log),
 * compared with the reference's own predictions on the training rows.
 */
export function driftReport(reference: TrainingReference, frame: Frame, thresholds: DriftThresholds = DEFAULT_THRESHOLDS, predictions?: Frame['columns'][string]): DriftReport {
  const columns: ColumnDrift[] = [];
  const missingColumns: string[] = [];
  for (const ref of reference.columns) {
    const values = frame.columns[ref.column];
    if (!values) missingColumns.push(ref.column);
    else columns.push(judge(ref, values, thresholds));
  }
  const prediction = reference.prediction && predictions ? judge(reference.prediction, predictions, thresholds) : undefined;
  const drifted = [...columns.filter((c) => c.drifted).map((c) => c.column), ...missingColumns];
  const verdict = drifted.length || prediction?.drifted ? 'drift' : 'ok';
  return { rows: frame.rows, referenceRows: reference.rows, thresholds, columns, ...(prediction ? { prediction } : {}), missingColumns, drifted, verdict };
}

/** One column (or the predictions) against its reference, with the thresholds' verdict. */
export function judge(ref: NumericReference | CategoryReference, values: Frame['columns'][string], thresholds: DriftThresholds): ColumnDrift {
  const drift = ref.kind === 'number' ? numericDrift(ref, toNumbers(values)) : categoryDrift(ref, toTexts(values));
  const missingRef = drift.missingRate.reference;
  if (Math.abs(drift.missingRate.current - missingRef) >= thresholds.missingRate) drift.reasons.push(`missing ${fmt(missingRef)} → ${fmt(drift.missingRate.current)}`);
  if (drift.psi >= thresholds.psi) drift.reasons.push(`PSI ${fmt(drift.psi)} >= ${thresholds.psi}`);
  if (drift.ks && drift.ks.statistic >= thresholds.ks) drift.reasons.push(`KS ${fmt(drift.ks.statistic)} >= ${thresholds.ks}`);
  if (drift.jensenShannon !== undefined && drift.jensenShannon >= thresholds.jensenShannon) drift.reasons.push(`Jensen–Shannon ${fmt(drift.jensenShannon)} >= ${thresholds.jensenShannon}`);
  drift.drifted = drift.reasons.length > 0;
  return drift;
}

function toNumbers(values: Frame['columns'][string]): Float64Array {
  if (values instanceof Float64Array) return values;
  return Float64Array.from(values as ArrayLike<string | null>, (v) => (v === null || v === '' ? Number.NaN : Number(v)));
}

function toTexts(values: Frame['columns'][string]): (string | null)[] {
  if (values instanceof Float64Array) return Array.from(values, (v) => (Number.isNaN(v) ? null : String(v)));
  return Array.from(values as ArrayLike<string | null>);
}

export function numericDrift(ref: NumericReference, values: Float64Array): ColumnDrift {
  const current = sortedFinite(values);
  const sketch = Float64Array.from(ref.sketch);
  const n = current.length;
  const counts = binCounts(current, ref.edges);
  return {
    column: ref.column,
    kind: 'number',
    rows: values.length,
    psi: psi(ref.proportions, counts.map((c) => (n ? c / n : 0))),
    ks: ks2samp(sketch, current, { n: ref.count - ref.missing, m: n }),
    wasserstein: wasserstein(sketch, current),
    missingRate: { reference: ref.count ? ref.missing / ref.count : 0, current: values.length ? (values.length - n) / values.length : 0 },
    drifted: false,
    reasons: [],
  };
}

export function categoryDrift(ref: CategoryReference, values: (string | null)[]): ColumnDrift {
  const known = Object.keys(ref.counts);
  const observed = new Map(known.map((k) => [k, 0]));
  const unseen: Record<string, number> = {};
  let present = 0;
  for (const v of values) {
    if (v === null) continue;
    present++;
    if (observed.has(v)) observed.set(v, observed.get(v)! + 1);
    else unseen[v] = (unseen[v] ?? 0) + 1;
  }
  // Categories never seen in training share one bin; its expected share is PSI_FLOOR (not 0, which
  // would make chi-square infinite), and the other expected shares are scaled to leave room for it.
  const unseenTotal = Object.values(unseen).reduce((s, c) => s + c, 0);
  const bins = unseenTotal ? [...known, OTHER_CATEGORY + ' (new)'] : known;
  const refTotal = known.reduce((s, k) => s + ref.counts[k], 0);
  const expectedShare = bins.map((k) => (k in ref.counts ? ref.counts[k] / refTotal : PSI_FLOOR));
  const shareTotal = expectedShare.reduce((s, x) => s + x, 0);
  const obs = bins.map((k) => (k in ref.counts ? observed.get(k)! : unseenTotal));
  const expected = expectedShare.map((s) => (s / shareTotal) * present);
  return {
    column: ref.column,
    kind: 'category',
    rows: values.length,
    psi: psi(expectedShare, obs.map((o) => (present ? o / present : 0))),
    chiSquare: present ? chiSquare(obs, expected) : undefined,
    jensenShannon: present ? jensenShannon(expectedShare, obs) : undefined,
    missingRate: { reference: ref.count ? ref.missing / ref.count : 0, current: values.length ? (values.length - present) / values.length : 0 },
    ...(unseenTotal ? { newCategories: unseen } : {}),
    drifted: false,
    reasons: [],
  };
}
