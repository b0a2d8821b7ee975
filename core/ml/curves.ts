/**
 * Curves behind the Evaluate charts: ROC and precision–recall (as sklearn.metrics roc_curve /
 * precision_recall_curve compute them), calibration (sklearn calibration_curve, uniform bins),
 * cumulative gains / lift, and the error-analysis table of the worst-predicted rows.
 */
import type { ChartSpec, ResultTable } from '../spec/values.ts';
import { descendingOrder, type Num } from './metrics.ts';

/** Distinct-threshold cumulative counts, highest score first (sklearn `_binary_clf_curve`). */
function binaryClfCurve(isPos: Num, score: Num): { fps: number[]; tps: number[]; thresholds: number[] } {
  const n = score.length;
  const order = descendingOrder(score);
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
  const order = descendingOrder(score);
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

/**
 * At most `max` of `n` positions, evenly spaced, first and last kept (every one when n ≤ max), so
 * a chart spec stays small on large tables: the chart is built from these rows alone.
 */
export function thinIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const step = (n - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => Math.round(i * step));
}

/** Pairs for a chart; NaN points (an undefined rate) are dropped, JSON cannot carry them. */
const zip = (x: number[], y: number[]): [number, number][] =>
  x.map((v, i): [number, number] => [v, y[i]]).filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));

/** zip(x, y) thinned to `max` points, making only the pairs it keeps (a curve of a million rows has a million points). */
function thinZip(x: number[], y: number[], max = 400): [number, number][] {
  if (!x.every((v, i) => Number.isFinite(v) && Number.isFinite(y[i]))) {
    const points = zip(x, y);
    return thinIndices(points.length, max).map((i) => points[i]);
  }
  return thinIndices(x.length, max).map((i): [number, number] => [x[i], y[i]]);
}

/** Evaluate's charts for a classifier (binary: ROC, PR, calibration, gains/lift; multiclass: one-vs-rest ROC). */
export function classificationCharts(
  yTrue: Num,
  yPred: Num,
  classes: (string | number)[],
  proba: Num | undefined,
  confusion: number[][],
): ChartSpec[] {
  const n = yTrue.length;
  const scores = proba && classes.length === 2 ? Float64Array.from({ length: n }, (_, i) => proba[i * 2 + 1]) : proba;
  return classificationChartsOf(classes, confusion, scores ? { labels: yTrue, scores } : undefined);
}

/**
 * classificationCharts from what a tally keeps: the confusion matrix, and with probabilities each
 * row's class and scores (binary: the positive class's probability; multiclass: k per row).
 */
export function classificationChartsOf(classes: (string | number)[], confusion: number[][], curves?: { labels: Num; scores: Num }): ChartSpec[] {
  const labels = classes.map(String);
  const charts: ChartSpec[] = [
    { kind: 'heatmap', id: 'confusion', title: 'Confusion matrix', rows: labels, cols: labels, values: confusion, rowLabel: 'Actual', colLabel: 'Predicted' },
  ];
  if (!curves) return charts;
  const n = curves.labels.length;
  const k = classes.length;
  const diagonal = { name: 'chance', points: [[0, 0], [1, 1]] as [number, number][], dashed: true };
  if (k === 2) {
    // Class indices 0/1 are the positive flags themselves.
    const isPos = curves.labels;
    const p1 = curves.scores;
    const pos = labels[1];
    const roc = rocCurve(isPos, p1);
    const pr = precisionRecallCurve(isPos, p1);
    const cal = calibrationCurve(isPos, p1, 10);
    const gains = gainsCurve(isPos, p1);
    charts.push(
      { kind: 'line', id: 'roc', title: `ROC curve (positive class: ${pos})`, x: { label: 'False positive rate', min: 0, max: 1 }, y: { label: 'True positive rate', min: 0, max: 1 }, series: [{ name: 'model', points: thinZip(roc.fpr, roc.tpr) }, diagonal] },
      { kind: 'line', id: 'pr', title: `Precision–recall curve (positive class: ${pos})`, x: { label: 'Recall', min: 0, max: 1 }, y: { label: 'Precision', min: 0, max: 1 }, series: [{ name: 'model', points: thinZip(pr.recall, pr.precision) }] },
      { kind: 'line', id: 'calibration', title: 'Calibration (10 bins)', x: { label: 'Mean predicted probability', min: 0, max: 1 }, y: { label: 'Fraction of positives', min: 0, max: 1 }, series: [{ name: 'model', points: zip(cal.probPred, cal.probTrue) }, { ...diagonal, name: 'perfectly calibrated' }] },
      { kind: 'line', id: 'gains', title: 'Cumulative gains', x: { label: 'Share of rows targeted', min: 0, max: 1 }, y: { label: 'Share of positives captured', min: 0, max: 1 }, series: [{ name: 'model', points: zip(gains.fraction, gains.gains) }, { ...diagonal, name: 'random' }] },
      { kind: 'line', id: 'lift', title: 'Lift', x: { label: 'Share of rows targeted', min: 0, max: 1 }, y: { label: 'Lift' }, series: [{ name: 'model', points: zip(gains.fraction.slice(1), gains.lift) }, { name: 'random', points: [[0, 1], [1, 1]], dashed: true }] },
    );
  } else if (k <= 12) {
    const { labels: y, scores } = curves;
    const series = classes.map((_, c) => {
      const roc = rocCurve(Uint8Array.from({ length: n }, (_, i) => (y[i] === c ? 1 : 0)), Float64Array.from({ length: n }, (_, i) => scores[i * k + c]));
      return { name: labels[c], points: thinZip(roc.fpr, roc.tpr) };
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
  const list: WorstRow[] = [];
  keepWorst(list, args.limit ?? 20, 0, { rowIds, yTrue, yPred, k: classes?.length, proba });
  return worstRowsTable(list, { classes, proba: !!proba });
}

/** A row of the running worst-rows list: how bad (lower is worse), where it came (ties go to the earlier row), and what the table shows. */
export interface WorstRow {
  key: number;
  at: number;
  rowId: number;
  yTrue: number;
  yPred: number;
  /** Probability given to the actual class (classification). */
  pTrue?: number;
  /** Input values shown beside it (Evaluate). */
  values?: (string | number | null)[];
}

/**
 * Rows added to `list` (kept sorted, worst first, at most `limit`): `k` classes (absent:
 * regression); row i is row `offset + i` of everything scored, which breaks ties. Of a chunk, only
 * the rows that make the list are copied, so a table streamed a chunk at a time keeps `limit` rows.
 */
export function keepWorst(
  list: WorstRow[],
  limit: number,
  offset: number,
  rows: { rowIds: Num; yTrue: Num; yPred: Num; k?: number; proba?: Num; values?: (i: number) => (string | number | null)[] },
): void {
  const { rowIds, yTrue, yPred, k, proba } = rows;
  if (limit <= 0) return;
  for (let i = 0; i < yTrue.length; i++) {
    const pTrue = k === undefined ? undefined : proba ? proba[i * k + yTrue[i]] : yTrue[i] === yPred[i] ? 1 : 0;
    const key = pTrue ?? -Math.abs(yTrue[i] - yPred[i]);
    const at = offset + i;
    const last = list[list.length - 1];
    if (list.length >= limit && !(key < last.key || (key === last.key && at < last.at))) continue;
    let j = list.length;
    while (j > 0 && (key < list[j - 1].key || (key === list[j - 1].key && at < list[j - 1].at))) j--;
    list.splice(j, 0, { key, at, rowId: rowIds[i], yTrue: yTrue[i], yPred: yPred[i], pTrue, values: rows.values?.(i) });
    if (list.length > limit) list.pop();
  }
}

/** The worst-rows table of a list keepWorst filled; `valueNames` head the input values' columns. */
export function worstRowsTable(list: WorstRow[], opts: { classes?: (string | number)[]; proba: boolean; valueNames?: string[] }): ResultTable {
  const { classes, proba } = opts;
  const names = opts.valueNames ?? [];
  const values = (w: WorstRow) => (names.length ? (w.values ?? names.map(() => null)) : []);
  if (classes) {
    const rows = list.filter((w) => w.yTrue !== w.yPred || proba).map((w) => [w.rowId, classes[w.yTrue], classes[w.yPred], proba ? round6(w.pTrue!) : null, ...values(w)]);
    return { id: 'worst_rows', title: 'Worst-predicted rows', columns: ['row', 'actual', 'predicted', 'probability_of_actual', ...names], rows };
  }
  const rows = list.map((w) => [w.rowId, w.yTrue, round6(w.yPred), round6(w.yTrue - w.yPred), ...values(w)]);
  return { id: 'worst_rows', title: 'Worst-predicted rows', columns: ['row', 'actual', 'predicted', 'error', ...names], rows };
}

/** A metric as tables show it: 6 decimals. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
