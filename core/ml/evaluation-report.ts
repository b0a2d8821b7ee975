/**
 * Evaluate's report (scores, charts, the worst-predicted rows, scores per group) from a tally that
 * takes the scored rows a chunk at a time, so a table larger than memory is evaluated in a bounded
 * footprint (evaluate-stream.ts). What a tally keeps:
 *
 * - counts, exact however the rows are chunked: the confusion matrix (accuracy, precision, recall,
 *   F1 and the per-class table come from it alone) and the counts per group;
 * - sums in row order, so chunk after chunk adds the same numbers in the same order as one pass:
 *   log loss, and the per-group errors of a regression;
 * - the columns the curves need whole, as typed arrays sized once: each row's class (a byte below
 *   256 classes) and its score (binary: P(positive), 9 bytes a row; multiclass: k probabilities)
 *   for ROC AUC and the ROC / PR / calibration / gains curves, ranked once for all of them
 *   (score-ranking.ts); actual and predicted values for a regression (R² needs
 *   the mean first, the chart every point); the predictions of a clustering or anomaly model, and
 *   the silhouette's sample of rows;
 * - the `worstRows` worst rows so far, with the input values shown beside them.
 *
 * A single chunk is today's whole-table evaluation (`evaluationReport`: Train, cross-validation,
 * export checks), so both paths are one code.
 */
import type { ChartSpec, MetricsValue, ResultTable, Task } from '../spec/values.ts';
import { defineWorkerTask } from '../spec/worker-task.ts';
import { classificationChartsOf, classifierCurves, keepWorst, round6, thinIndices, worstRowsTable, type WorstRow } from './curves.ts';
import type { TextColumn } from './frame.ts';
import { addToGroupTally, groupMetricsOf, groupMetricsResults, type GroupTally } from './group-metrics.ts';
import type { Matrix, Prediction } from './learners/types.ts';
import { logLossSum, perClassOf, scoreRegression, scoresOf } from './metrics.ts';
import { silhouetteOfRows, silhouetteRows } from './silhouette.ts';

export interface ReportInput {
  task: Task;
  scope: string;
  classes?: (string | number)[];
  /** Class index per row (-1 = unknown / missing), or the numeric target (NaN = missing). */
  yTrue: ArrayLike<number>;
  prediction: Prediction;
  rowIds: ArrayLike<number>;
  /** Charts and the worst-rows table (Evaluate); scores only when false (Train, folds). */
  detail?: boolean;
  worstRows?: number;
  /** Clustering: the rows as the model saw them (after its recipe), for the silhouette score. */
  X?: Matrix;
}

/** Scores (+ charts and error analysis when `detail`) as a MetricsValue; unusable rows are left out with a note. */
export function evaluationReport(r: ReportInput): MetricsValue {
  const tally = newTally({ task: r.task, scope: r.scope, classes: r.classes, detail: r.detail, worstRows: r.worstRows, capacity: Math.max(r.yTrue.length, r.prediction.values.length) });
  addToTally(tally, { yTrue: r.yTrue, prediction: r.prediction, rowIds: r.rowIds, X: r.X });
  return tallyReport(tally);
}

/** evaluationReport on a worker: sorting 100k predictions for its curves is CPU work. */
export const evaluationReportTask = defineWorkerTask('ml.evaluationReport', (r: ReportInput): MetricsValue => evaluationReport(r));

export interface TallyConfig {
  task: Task;
  scope: string;
  classes?: (string | number)[];
  detail?: boolean;
  worstRows?: number;
  /** The most rows that will be added (the kept columns are sized once); a clustering's silhouette sample is drawn from exactly this many. */
  capacity: number;
  /** Scores per group of this column (Evaluate's group_column); chunks then carry `groups`. */
  group?: string;
  /** Input columns shown beside the worst rows (at most 8); chunks then carry `rowValues`. */
  valueNames?: string[];
}

/** What a report needs of the rows added so far; plain data, so it crosses to a worker. */
export interface EvaluationTally {
  config: TallyConfig;
  /** Rows added, and those scored (an actual value the model can be scored on). */
  rows: number;
  kept: number;
  confusion?: number[][];
  /** Whether the learner gives probabilities (known from the first rows). */
  probabilistic?: boolean;
  logLoss: number;
  /** Each kept row's class index, in the narrowest array the class count allows. */
  labels?: Uint8Array | Uint16Array | Int32Array;
  scores?: Float64Array;
  yTrue?: Float64Array;
  yPred?: Float64Array;
  values?: Float64Array;
  silhouette?: { rows: number[]; cols: number; data: Float64Array; labels: Float64Array; taken: number };
  worst: WorstRow[];
  groups?: GroupTally;
}

export interface TallyChunk {
  yTrue: ArrayLike<number>;
  prediction: Prediction;
  rowIds: ArrayLike<number>;
  /** Clustering: the rows as the model saw them. */
  X?: Matrix;
  /** Each row's group (config.group). */
  groups?: TextColumn;
  /** The valueNames columns of these rows. */
  rowValues?: Record<string, Float64Array | TextColumn>;
}

const isClassifier = (c: TallyConfig) => !!c.classes && (c.task === 'binary' || c.task === 'multiclass');

export function newTally(config: TallyConfig): EvaluationTally {
  const t: EvaluationTally = { config, rows: 0, kept: 0, logLoss: 0, worst: [] };
  if (isClassifier(config)) t.confusion = Array.from({ length: config.classes!.length }, () => new Array<number>(config.classes!.length).fill(0));
  else if (config.task === 'regression') {
    t.yTrue = new Float64Array(config.capacity);
    t.yPred = new Float64Array(config.capacity);
  } else t.values = new Float64Array(config.capacity);
  if (config.group) t.groups = new Map();
  return t;
}

/** The next rows, in order: every chunk of a table, or all of it at once. */
export function addToTally(t: EvaluationTally, chunk: TallyChunk): void {
  const c = t.config;
  const { yTrue, prediction } = chunk;
  const keep: number[] = [];
  for (let i = 0; i < yTrue.length; i++) if (c.classes ? yTrue[i] >= 0 : Number.isFinite(yTrue[i])) keep.push(i);
  // Usually every row is scored: the chunk's own arrays are used as they are.
  const all = keep.length === yTrue.length && yTrue.length === prediction.values.length;
  const sel = (a: ArrayLike<number>, width = 1): ArrayLike<number> => {
    if (all) return a;
    const out = new Float64Array(keep.length * width);
    for (let j = 0; j < keep.length; j++) for (let c = 0; c < width; c++) out[j * width + c] = a[keep[j] * width + c];
    return out;
  };
  const y = sel(yTrue), yPred = sel(prediction.values);
  const names = c.valueNames ?? [];
  const rowValues = chunk.rowValues;
  const worst = {
    rowIds: sel(chunk.rowIds),
    yTrue: y,
    yPred,
    values: rowValues && names.length ? (j: number) => names.map((n) => shown(rowValues[n][keep[j]])) : undefined,
  };
  const limit = c.detail ? (c.worstRows ?? 20) : 0;
  if (isClassifier(c)) {
    const k = c.classes!.length;
    t.probabilistic ??= !!prediction.proba;
    const proba = t.probabilistic && prediction.proba ? sel(prediction.proba, k) : undefined;
    for (let j = 0; j < y.length; j++) t.confusion![y[j]][yPred[j]]++;
    if (proba) {
      t.logLoss = logLossSum(y, proba, k, t.logLoss);
      t.labels ??= classIndexArray(k, c.capacity);
      t.scores ??= new Float64Array(c.capacity * (k === 2 ? 1 : k));
      t.labels.set(y, t.kept);
      if (k === 2) for (let j = 0; j < y.length; j++) t.scores[t.kept + j] = proba[j * 2 + 1];
      else t.scores.set(proba, t.kept * k);
    }
    keepWorst(t.worst, limit, t.kept, { ...worst, k, proba });
  } else if (c.task === 'regression') {
    t.yTrue!.set(y, t.kept);
    t.yPred!.set(yPred, t.kept);
    keepWorst(t.worst, limit, t.kept, worst);
  } else {
    t.values!.set(prediction.values, t.rows);
    if (c.task === 'clustering' && chunk.X) addSilhouetteRows(t, chunk.X, prediction.values);
  }
  if (t.groups && chunk.groups) addToGroupTally(t.groups, c.task, chunk.groups, yTrue, prediction.values);
  t.kept += keep.length;
  t.rows += Math.max(yTrue.length, prediction.values.length);
}

/** Room for `n` class indices of `k` classes: a byte a row below 256 classes (a binary tally keeps 9 bytes a row, not 12). */
function classIndexArray(k: number, n: number): Uint8Array | Uint16Array | Int32Array {
  return k <= 256 ? new Uint8Array(n) : k <= 65536 ? new Uint16Array(n) : new Int32Array(n);
}

/** A worst row's input value as the table shows it. */
const shown = (v: number | string | null | undefined): number | string | null => (typeof v === 'number' ? (Number.isNaN(v) ? null : round6(v)) : (v ?? null));

/** Of a clustering's rows, only those in the silhouette's sample (drawn from `capacity` rows, as silhouetteScore draws it from all of them). */
function addSilhouetteRows(t: EvaluationTally, X: Matrix, labels: ArrayLike<number>): void {
  if (!t.silhouette) {
    const rows = silhouetteRows(t.config.capacity);
    t.silhouette = { rows, cols: X.cols, data: new Float64Array(rows.length * X.cols), labels: new Float64Array(rows.length), taken: 0 };
  }
  const s = t.silhouette;
  const from = t.rows, to = t.rows + X.rows;
  while (s.taken < s.rows.length && s.rows[s.taken] < to) {
    const i = s.rows[s.taken] - from;
    s.data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), s.taken * X.cols);
    s.labels[s.taken] = labels[i];
    s.taken++;
  }
}

/** The report of every row added. */
export function tallyReport(t: EvaluationTally): MetricsValue {
  const c = t.config;
  const n = t.kept;
  const dropped = t.rows - n;
  const notes: string[] = [];
  if (dropped && (isClassifier(c) || c.task === 'regression')) {
    notes.push(c.classes
      ? `${dropped} row(s) are left out of the scores: their actual value is missing or is a class the model never saw in training.`
      : `${dropped} row(s) with a missing actual value are left out of the scores.`);
  }
  const charts: ChartSpec[] = [];
  const tables: ResultTable[] = [];
  let values: Record<string, number> = {};
  if (isClassifier(c)) {
    const classes = c.classes!;
    const k = classes.length;
    const confusion = t.confusion!;
    const curves = t.probabilistic ? { labels: t.labels!.subarray(0, n), scores: t.scores!.subarray(0, k === 2 ? n : n * k) } : undefined;
    // The area and the charts come from one ranking of the scores (one per class for multiclass).
    const ranked = curves && (n > 0 || c.detail) ? classifierCurves(classes, curves, !!c.detail) : undefined;
    if (n === 0) notes.push('No rows to score.');
    else {
      const s = scoresOf(c.task as 'binary' | 'multiclass', confusion, ranked ? { auc: ranked.auc, logLoss: t.logLoss / n } : undefined);
      values = s.values;
      notes.push(...s.notes);
    }
    if (c.detail) {
      charts.push(...classificationChartsOf(classes, confusion), ...(ranked?.charts ?? []));
      tables.push({ id: 'per_class', title: 'Scores per class', columns: ['class', 'precision', 'recall', 'f1', 'support'], rows: perClassOf(confusion).map((p, j) => [classes[j], round6(p.precision), round6(p.recall), round6(p.f1), p.support]) });
      tables.push(worstRowsTable(t.worst, { classes, proba: !!curves, valueNames: c.valueNames }));
    }
  } else if (c.task === 'regression') {
    const yTrue = t.yTrue!.subarray(0, n), yPred = t.yPred!.subarray(0, n);
    const s = scoreRegression(yTrue, yPred);
    values = s.values;
    notes.push(...s.notes);
    if (c.detail && n) {
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < n; i++) {
        lo = Math.min(lo, yTrue[i], yPred[i]);
        hi = Math.max(hi, yTrue[i], yPred[i]);
      }
      // Only the points the chart keeps are made (a point per row is 16M arrays on 16M rows).
      const pts = thinIndices(n, 1000).map((i): [number, number] => [yTrue[i], yPred[i]]);
      charts.push({ kind: 'line', id: 'actual_vs_predicted', title: 'Predicted vs actual', x: { label: 'Actual' }, y: { label: 'Predicted' }, series: [{ name: 'rows', points: pts }, { name: 'perfect', points: [[lo, lo], [hi, hi]], dashed: true }] });
      tables.push(worstRowsTable(t.worst, { valueNames: c.valueNames, proba: false }));
    }
  } else if (c.task === 'clustering' || c.task === 'anomaly') {
    const predicted = t.values!.subarray(0, t.rows);
    const s = t.silhouette;
    if (c.task === 'clustering' && s) {
      const sil = silhouetteOfRows({ data: s.data, rows: s.taken, cols: s.cols }, s.labels, Array.from({ length: s.taken }, (_, i) => i));
      if (sil.value !== null) values.silhouette = sil.value;
      else notes.push('The silhouette score needs at least 2 clusters and fewer clusters than rows.');
      if (sil.rows < t.rows) notes.push(`The silhouette score is computed on a sample of ${sil.rows} of the ${t.rows} rows.`);
    }
    if (c.detail) charts.push(...unsupervisedCharts(c.task, predicted));
  }
  if (c.classes && c.task === 'binary') notes.push(`precision, recall, f1 and roc_auc treat "${c.classes[1]}" (the second class in sorted order) as the positive class.`);
  if (t.groups && c.group) {
    const g = groupMetricsOf(t.groups, c.group, c.task);
    const { table, chart } = groupMetricsResults(g, c.task);
    Object.assign(values, g.values);
    if (chart) charts.push(chart);
    tables.push(table);
    notes.push(...g.notes);
  }
  if (notes.length) tables.push({ id: 'notes', title: 'Notes', columns: ['note'], rows: notes.map((note) => [note]) });
  return { kind: 'metrics', task: c.task, scope: c.scope, values, charts, tables };
}

/** tallyReport on a worker: the curves sort every row's score. */
export const tallyReportTask = defineWorkerTask('ml.evaluationTallyReport', (t: EvaluationTally): MetricsValue => tallyReport(t));

/** Cluster sizes, or the distribution of anomaly scores (no actual values to score against). */
function unsupervisedCharts(task: 'clustering' | 'anomaly', values: ArrayLike<number>): ChartSpec[] {
  if (values.length === 0) return [];
  if (task === 'clustering') {
    const counts = new Map<number, number>();
    for (let i = 0; i < values.length; i++) counts.set(values[i], (counts.get(values[i]) ?? 0) + 1);
    const ids = [...counts.keys()].sort((a, b) => a - b);
    return [{ kind: 'bar', id: 'cluster_sizes', title: 'Rows per cluster', categories: ids.map((c) => `cluster ${c}`), series: [{ name: 'rows', values: ids.map((c) => counts.get(c)!) }] }];
  }
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  const nBins = 20, width = (hi - lo) / nBins || 1;
  const bins = Array.from({ length: nBins }, (_, b) => ({ x0: lo + b * width, x1: lo + (b + 1) * width, count: 0 }));
  for (let i = 0; i < values.length; i++) bins[Math.min(nBins - 1, Math.floor((values[i] - lo) / width))].count++;
  return [{ kind: 'histogram', id: 'anomaly_scores', title: 'Anomaly scores', bins }];
}
