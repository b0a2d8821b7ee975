/**
 * Curves behind the Evaluate charts: ROC and precision–recall (as sklearn.metrics roc_curve /
 * precision_recall_curve compute them), calibration (sklearn calibration_curve, uniform bins),
 * cumulative gains / lift, and the error-analysis table of the worst-predicted rows.
 */
import type { ChartSpec, MetricsValue, ResultTable, Task } from '../spec/values.ts';
import { defineWorkerTask } from '../spec/worker-task.ts';
import type { Matrix, Prediction } from './learners/types.ts';
import { silhouetteScore } from './silhouette.ts';
import { confusionMatrix, perClassScores, scoreClassification, scoreRegression, type Num } from './metrics.ts';

/** Distinct-threshold cumulative counts, highest score first (sklearn `_binary_clf_curve`). */
function binaryClfCurve(isPos: Num, score: Num): { fps: number[]; tps: number[]; thresholds: number[] } {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  const fps: number[] = [], tps: number[] = [], thresholds: number[] = [];
  let tp = 0, fp = 0;
  for (let i = 0; i < n; i++) {
    const r = order[i];
    if (isPos[r]) tp++;
    else fp++;
    if (i === n - 1 || score[order[i + 1]] !== score[r]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(score[r]);
    }
  }
  return { fps, tps, thresholds };
}

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

/** sklearn roc_curve(drop_intermediate=True): collinear points dropped, (0, 0) prepended. */
export function rocCurve(isPos: Num, score: Num): RocCurve {
  let { fps, tps, thresholds } = binaryClfCurve(isPos, score);
  if (fps.length > 2) {
    const keep: number[] = [0];
    for (let i = 1; i < fps.length - 1; i++) {
      const d2f = fps[i + 1] - 2 * fps[i] + fps[i - 1];
      const d2t = tps[i + 1] - 2 * tps[i] + tps[i - 1];
      if (d2f !== 0 || d2t !== 0) keep.push(i);
    }
    keep.push(fps.length - 1);
    fps = keep.map((i) => fps[i]);
    tps = keep.map((i) => tps[i]);
    thresholds = keep.map((i) => thresholds[i]);
  }
  const P = tps.length ? tps[tps.length - 1] : 0;
  const N = fps.length ? fps[fps.length - 1] : 0;
  return {
    fpr: N ? [0, ...fps.map((f) => f / N)] : new Array<number>(fps.length + 1).fill(NaN),
    tpr: P ? [0, ...tps.map((t) => t / P)] : new Array<number>(tps.length + 1).fill(NaN),
    thresholds: [(thresholds[0] ?? 0) + 1, ...thresholds],
  };
}

export interface PrCurve {
  precision: number[];
  recall: number[];
  thresholds: number[];
}

/** sklearn 1.2 precision_recall_curve: increasing thresholds, the (recall 0, precision 1) point last. */
export function precisionRecallCurve(isPos: Num, score: Num): PrCurve {
  const { fps, tps, thresholds } = binaryClfCurve(isPos, score);
  const P = tps[tps.length - 1] ?? 0;
  const precision: number[] = [], recall: number[] = [], th: number[] = [];
  for (let i = tps.length - 1; i >= 0; i--) {
    const ps = tps[i] + fps[i];
    precision.push(ps ? tps[i] / ps : 0);
    // sklearn sets recall to 1 everywhere when y_true has no positives
    recall.push(P ? tps[i] / P : 1);
    th.push(thresholds[i]);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds: th };
}

/** sklearn calibration_curve(strategy='uniform'): empty bins are left out. */
export function calibrationCurve(isPos: Num, prob: Num, nBins = 10): { probTrue: number[]; probPred: number[]; counts: number[] } {
  const sums = new Float64Array(nBins), trues = new Float64Array(nBins), totals = new Float64Array(nBins);
  const step = 1 / nBins;
  for (let i = 0; i < prob.length; i++) {
    // np.searchsorted(bins[1:-1], p, side='left'): an edge value belongs to the bin below it.
    let b = 0;
    while (b < nBins - 1 && prob[i] > (b + 1) * step) b++;
    sums[b] += prob[i];
    trues[b] += isPos[i] ? 1 : 0;
    totals[b]++;
  }
  const probTrue: number[] = [], probPred: number[] = [], counts: number[] = [];
  for (let b = 0; b < nBins; b++) {
    if (!totals[b]) continue;
    probTrue.push(trues[b] / totals[b]);
    probPred.push(sums[b] / totals[b]);
    counts.push(totals[b]);
  }
  return { probTrue, probPred, counts };
}

/**
 * Cumulative gains: rows ranked by score (highest first, ties by row order); at each percentile of
 * the population, the share of all positives captured. Lift = gains / share targeted.
 */
export function gainsCurve(isPos: Num, score: Num, points = 100): { fraction: number[]; gains: number[]; lift: number[] } {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i] + (isPos[order[i]] ? 1 : 0);
  const P = cum[n];
  const fraction: number[] = [0], gains: number[] = [0], lift: number[] = [];
  for (let q = 1; q <= points; q++) {
    const take = Math.ceil((q / points) * n);
    if (take === 0) continue;
    const f = take / n;
    const g = P ? cum[take] / P : 0;
    fraction.push(f);
    gains.push(g);
    lift.push(g / f);
  }
  return { fraction, gains, lift };
}

/** At most `max` points, first and last kept, so a chart spec stays small on large tables. */
export function thin(points: [number, number][], max = 400): [number, number][] {
  if (points.length <= max) return points;
  const out: [number, number][] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]);
  return out;
}

/** Pairs for a chart; NaN points (an undefined rate) are dropped, JSON cannot carry them. */
const zip = (x: number[], y: number[]): [number, number][] =>
  x.map((v, i): [number, number] => [v, y[i]]).filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));

/** Evaluate's charts for a classifier (binary: ROC, PR, calibration, gains/lift; multiclass: one-vs-rest ROC). */
export function classificationCharts(
  yTrue: Num,
  yPred: Num,
  classes: (string | number)[],
  proba: Num | undefined,
  confusion: number[][],
): ChartSpec[] {
  const labels = classes.map(String);
  const charts: ChartSpec[] = [
    { kind: 'heatmap', id: 'confusion', title: 'Confusion matrix', rows: labels, cols: labels, values: confusion, rowLabel: 'Actual', colLabel: 'Predicted' },
  ];
  if (!proba) return charts;
  const n = yTrue.length;
  const k = classes.length;
  const diagonal = { name: 'chance', points: [[0, 0], [1, 1]] as [number, number][], dashed: true };
  if (k === 2) {
    const isPos = Array.from({ length: n }, (_, i) => (yTrue[i] === 1 ? 1 : 0));
    const p1 = Array.from({ length: n }, (_, i) => proba[i * 2 + 1]);
    const pos = labels[1];
    const roc = rocCurve(isPos, p1);
    const pr = precisionRecallCurve(isPos, p1);
    const cal = calibrationCurve(isPos, p1, 10);
    const gains = gainsCurve(isPos, p1);
    charts.push(
      { kind: 'line', id: 'roc', title: `ROC curve (positive class: ${pos})`, x: { label: 'False positive rate', min: 0, max: 1 }, y: { label: 'True positive rate', min: 0, max: 1 }, series: [{ name: 'model', points: thin(zip(roc.fpr, roc.tpr)) }, diagonal] },
      { kind: 'line', id: 'pr', title: `Precision–recall curve (positive class: ${pos})`, x: { label: 'Recall', min: 0, max: 1 }, y: { label: 'Precision', min: 0, max: 1 }, series: [{ name: 'model', points: thin(zip(pr.recall, pr.precision)) }] },
      { kind: 'line', id: 'calibration', title: 'Calibration (10 bins)', x: { label: 'Mean predicted probability', min: 0, max: 1 }, y: { label: 'Fraction of positives', min: 0, max: 1 }, series: [{ name: 'model', points: zip(cal.probPred, cal.probTrue) }, { ...diagonal, name: 'perfectly calibrated' }] },
      { kind: 'line', id: 'gains', title: 'Cumulative gains', x: { label: 'Share of rows targeted', min: 0, max: 1 }, y: { label: 'Share of positives captured', min: 0, max: 1 }, series: [{ name: 'model', points: zip(gains.fraction, gains.gains) }, { ...diagonal, name: 'random' }] },
      { kind: 'line', id: 'lift', title: 'Lift', x: { label: 'Share of rows targeted', min: 0, max: 1 }, y: { label: 'Lift' }, series: [{ name: 'model', points: zip(gains.fraction.slice(1), gains.lift) }, { name: 'random', points: [[0, 1], [1, 1]], dashed: true }] },
    );
  } else if (k <= 12) {
    const series = classes.map((_, c) => {
      const roc = rocCurve(Array.from({ length: n }, (_, i) => (yTrue[i] === c ? 1 : 0)), Array.from({ length: n }, (_, i) => proba[i * k + c]));
      return { name: labels[c], points: thin(zip(roc.fpr, roc.tpr)) };
    });
    charts.push({ kind: 'line', id: 'roc', title: 'ROC curves, one class vs the rest', x: { label: 'False positive rate', min: 0, max: 1 }, y: { label: 'True positive rate', min: 0, max: 1 }, series: [...series, diagonal] });
  }
  return charts;
}

/**
 * The rows the model got most wrong: classification by the probability given to the actual
 * class (lowest first; misclassified first when there are no probabilities), regression by the
 * absolute error.
 */
export function worstRows(args: {
  rowIds: Num;
  yTrue: Num;
  yPred: Num;
  classes?: (string | number)[];
  proba?: Num;
  limit?: number;
}): ResultTable {
  const { rowIds, yTrue, yPred, classes, proba } = args;
  const limit = args.limit ?? 20;
  const n = yTrue.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  if (classes) {
    const k = classes.length;
    const pTrue = (i: number) => (proba ? proba[i * k + yTrue[i]] : yTrue[i] === yPred[i] ? 1 : 0);
    idx.sort((a, b) => pTrue(a) - pTrue(b) || a - b);
    const rows = idx.slice(0, limit).filter((i) => yTrue[i] !== yPred[i] || proba).map((i) => [rowIds[i], classes[yTrue[i]], classes[yPred[i]], proba ? round(pTrue(i)) : null]);
    return { id: 'worst_rows', title: 'Worst-predicted rows', columns: ['row', 'actual', 'predicted', 'probability_of_actual'], rows };
  }
  const err = (i: number) => Math.abs(yTrue[i] - yPred[i]);
  idx.sort((a, b) => err(b) - err(a) || a - b);
  const rows = idx.slice(0, limit).map((i) => [rowIds[i], yTrue[i], round(yPred[i]), round(yTrue[i] - yPred[i])]);
  return { id: 'worst_rows', title: 'Worst-predicted rows', columns: ['row', 'actual', 'predicted', 'error'], rows };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

// ---------------------------------------------------------------- a whole report

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
  const keep: number[] = [];
  for (let i = 0; i < r.yTrue.length; i++) if (r.classes ? r.yTrue[i] >= 0 : Number.isFinite(r.yTrue[i])) keep.push(i);
  const dropped = r.yTrue.length - keep.length;
  const sel = (a: ArrayLike<number>) => Float64Array.from(keep, (i) => a[i]);
  const yTrue = sel(r.yTrue), yPred = sel(r.prediction.values), rowIds = sel(r.rowIds);
  const notes: string[] = [];
  if (dropped) {
    notes.push(r.classes
      ? `${dropped} row(s) are left out of the scores: their actual value is missing or is a class the model never saw in training.`
      : `${dropped} row(s) with a missing actual value are left out of the scores.`);
  }
  const charts: ChartSpec[] = [];
  const tables: ResultTable[] = [];
  let values: Record<string, number> = {};
  if (r.classes && (r.task === 'binary' || r.task === 'multiclass')) {
    const k = r.classes.length;
    const proba = r.prediction.proba ? Float64Array.from({ length: keep.length * k }, (_, t) => r.prediction.proba![keep[Math.floor(t / k)] * k + (t % k)]) : undefined;
    const s = scoreClassification(r.task, yTrue, yPred, k, proba);
    values = s.values;
    notes.push(...s.notes);
    if (r.detail) {
      const confusion = confusionMatrix(yTrue, yPred, k);
      charts.push(...classificationCharts(yTrue, yPred, r.classes, proba, confusion));
      const per = perClassScores(yTrue, yPred, k);
      tables.push({ id: 'per_class', title: 'Scores per class', columns: ['class', 'precision', 'recall', 'f1', 'support'], rows: per.map((p, c) => [r.classes![c], round(p.precision), round(p.recall), round(p.f1), p.support]) });
      tables.push(worstRows({ rowIds, yTrue, yPred, classes: r.classes, proba, limit: r.worstRows }));
    }
  } else if (r.task === 'regression') {
    const s = scoreRegression(yTrue, yPred);
    values = s.values;
    notes.push(...s.notes);
    if (r.detail && yTrue.length) {
      const pts: [number, number][] = Array.from(yTrue, (v, i): [number, number] => [v, yPred[i]]);
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < yTrue.length; i++) {
        lo = Math.min(lo, yTrue[i], yPred[i]);
        hi = Math.max(hi, yTrue[i], yPred[i]);
      }
      charts.push({ kind: 'line', id: 'actual_vs_predicted', title: 'Predicted vs actual', x: { label: 'Actual' }, y: { label: 'Predicted' }, series: [{ name: 'rows', points: thin(pts, 1000) }, { name: 'perfect', points: [[lo, lo], [hi, hi]], dashed: true }] });
      tables.push(worstRows({ rowIds, yTrue, yPred, limit: r.worstRows }));
    }
  } else if (r.task === 'clustering' || r.task === 'anomaly') {
    if (r.task === 'clustering' && r.X) {
      const s = silhouetteScore(r.X, r.prediction.values);
      if (s.value !== null) values.silhouette = s.value;
      else notes.push('The silhouette score needs at least 2 clusters and fewer clusters than rows.');
      if (s.rows < r.X.rows) notes.push(`The silhouette score is computed on a sample of ${s.rows} of the ${r.X.rows} rows.`);
    }
    if (r.detail) charts.push(...unsupervisedCharts(r.task, r.prediction.values));
  }
  if (r.classes && r.task === 'binary') notes.push(`precision, recall, f1 and roc_auc treat "${r.classes[1]}" (the second class in sorted order) as the positive class.`);
  if (notes.length) tables.push({ id: 'notes', title: 'Notes', columns: ['note'], rows: notes.map((n) => [n]) });
  return { kind: 'metrics', task: r.task, scope: r.scope, values, charts, tables };
}

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

/**
 * The worst-rows table with the rows' input values alongside, so the analyst sees what the model
 * got wrong (at most `max` columns; numbers rounded).
 */
export function withRowValues(table: ResultTable, rowIds: ArrayLike<number>, columns: Record<string, ArrayLike<number> | (string | null)[]>, max = 8): ResultTable {
  const names = Object.keys(columns).slice(0, max);
  if (names.length === 0) return table;
  const at = new Map<number, number>();
  for (let i = 0; i < rowIds.length; i++) at.set(rowIds[i], i);
  return {
    ...table,
    columns: [...table.columns, ...names],
    rows: table.rows.map((r) => {
      const i = at.get(r[0] as number);
      return [...r, ...names.map((n) => {
        if (i === undefined) return null;
        const v = columns[n][i];
        return typeof v === 'number' ? (Number.isNaN(v) ? null : round(v)) : v;
      })];
    }),
  };
}

/** evaluationReport on a worker: sorting 100k predictions for its curves is CPU work. */
export const evaluationReportTask = defineWorkerTask('ml.evaluationReport', (r: ReportInput): MetricsValue => evaluationReport(r));
