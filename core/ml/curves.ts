/**
 * Curves behind the Evaluate charts: ROC and precision–recall (as sklearn.metrics roc_curve /
 * precision_recall_curve compute them), calibration (sklearn calibration_curve, uniform bins),
 * cumulative gains / lift, and the error-analysis table of the worst-predicted rows.
 */
import type { ChartSpec, ResultTable } from '../spec/values.ts';
import { aucResult, oneVsRestAuc, type Num } from './metrics.ts';
import { dropIntermediate, gainsOf, gainsPositions, prPoint, rankedCounts, rocAucOf, rocPoint, type RankedCounts } from './score-ranking.ts';

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

/** Rows whose flag is truthy are the positives. */
const flagged = (isPos: Num) => (r: number) => !!isPos[r];

/** sklearn roc_curve(drop_intermediate=True): collinear points dropped, (0, 0) prepended. */
export function rocCurve(isPos: Num, score: Num): RocCurve {
  const c = dropIntermediate(rankedCounts(score, flagged(isPos), { thresholds: true }));
  const m = c.tps.length;
  const fpr = new Float64Array(m + 1), tpr = new Float64Array(m + 1), th = new Float64Array(m + 1);
  th[0] = (m ? c.thresholds![0] : 0) + 1;
  for (let i = 0; i <= m; i++) {
    [fpr[i], tpr[i]] = rocPoint(c, i);
    if (i) th[i] = c.thresholds![i - 1];
  }
  return { fpr, tpr, thresholds: th };
}

export interface PrCurve {
  precision: Float64Array;
  recall: Float64Array;
  thresholds: Float64Array;
}

/** sklearn 1.2 precision_recall_curve: increasing thresholds, the (recall 0, precision 1) point last. */
export function precisionRecallCurve(isPos: Num, score: Num): PrCurve {
  const c = rankedCounts(score, flagged(isPos), { thresholds: true });
  const m = c.tps.length;
  const precision = new Float64Array(m + 1), recall = new Float64Array(m + 1), th = new Float64Array(m);
  for (let j = 0; j <= m; j++) {
    [recall[j], precision[j]] = prPoint(c, j);
    if (j < m) th[j] = c.thresholds![m - 1 - j];
  }
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
  const at = gainsPositions(score.length, points);
  return gainsOf(rankedCounts(score, flagged(isPos), { gainsAt: at }), at);
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

/**
 * Points 0..n-1 of a curve (`point(i)`), NaN points dropped (JSON cannot carry them), thinned to
 * `max`, first and last kept: a point is made only when looked at, so a curve of a million
 * points is never held whole.
 */
function thinPoints(n: number, point: (i: number) => [number, number], max = 400): [number, number][] {
  const finite = (p: [number, number]) => Number.isFinite(p[0]) && Number.isFinite(p[1]);
  const at: number[] = [];
  let every = true;
  for (let i = 0; i < n; i++) {
    if (finite(point(i))) {
      if (!every) at.push(i);
    } else if (every) {
      every = false;
      for (let j = 0; j < i; j++) at.push(j);
    }
  }
  const kept = every ? n : at.length;
  return thinIndices(kept, max).map((t) => point(every ? t : at[t]));
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
  return curves ? [...charts, ...classifierCurves(classes, curves, true).charts] : charts;
}

/**
 * ROC AUC and (when `draw`) the charts of a classifier's scores, from one ranking per class.
 * Binary: one ranking gives the area, the ROC, PR and gains curves (calibration needs none); each
 * curve is thinned to its chart's points before the next is read, and ROC comes last as dropping
 * its collinear points overwrites the counts. Multiclass: one class against the rest at a time,
 * its area and its ROC series from the same ranking, which is let go before the next class's.
 */
export function classifierCurves(classes: (string | number)[], curves: { labels: Num; scores: Num }, draw: boolean): { auc: { value: number | null; note?: string }; charts: ChartSpec[] } {
  const labels = classes.map(String);
  const n = curves.labels.length;
  const k = classes.length;
  const y = curves.labels;
  const diagonal = { name: 'chance', points: [[0, 0], [1, 1]] as [number, number][], dashed: true };
  const rocChart = (title: string, series: Extract<ChartSpec, { kind: 'line' }>['series']): ChartSpec =>
    ({ kind: 'line', id: 'roc', title, x: { label: 'False positive rate', min: 0, max: 1 }, y: { label: 'True positive rate', min: 0, max: 1 }, series });
  const rocPoints = (counts: RankedCounts) => {
    const c = dropIntermediate(counts);
    return thinPoints(c.tps.length + 1, (i) => rocPoint(c, i));
  };
  if (k === 2) {
    // Class indices 0/1 are the positive flags themselves.
    const p1 = curves.scores;
    const at = gainsPositions(n);
    const counts = rankedCounts(p1, (r) => y[r] === 1, draw ? { gainsAt: at } : {});
    const auc = aucResult(rocAucOf(counts));
    if (!draw) return { auc, charts: [] };
    const pos = labels[1];
    const pr = thinPoints(counts.tps.length + 1, (j) => prPoint(counts, j));
    const cal = calibrationCurve(y, p1, 10);
    const gains = gainsOf(counts, at);
    const roc = rocPoints(counts);
    return {
      auc,
      charts: [
        rocChart(`ROC curve (positive class: ${pos})`, [{ name: 'model', points: roc }, diagonal]),
        { kind: 'line', id: 'pr', title: `Precision–recall curve (positive class: ${pos})`, x: { label: 'Recall', min: 0, max: 1 }, y: { label: 'Precision', min: 0, max: 1 }, series: [{ name: 'model', points: pr }] },
        { kind: 'line', id: 'calibration', title: 'Calibration (10 bins)', x: { label: 'Mean predicted probability', min: 0, max: 1 }, y: { label: 'Fraction of positives', min: 0, max: 1 }, series: [{ name: 'model', points: zip(cal.probPred, cal.probTrue) }, { ...diagonal, name: 'perfectly calibrated' }] },
        { kind: 'line', id: 'gains', title: 'Cumulative gains', x: { label: 'Share of rows targeted', min: 0, max: 1 }, y: { label: 'Share of positives captured', min: 0, max: 1 }, series: [{ name: 'model', points: zip(gains.fraction, gains.gains) }, { ...diagonal, name: 'random' }] },
        { kind: 'line', id: 'lift', title: 'Lift', x: { label: 'Share of rows targeted', min: 0, max: 1 }, y: { label: 'Lift' }, series: [{ name: 'model', points: zip(gains.fraction.slice(1), gains.lift) }, { name: 'random', points: [[0, 1], [1, 1]], dashed: true }] },
      ],
    };
  }
  const { scores } = curves;
  const drawn = draw && k <= 12;
  const areas: (number | null)[] = [];
  const series: { name: string; points: [number, number][] }[] = [];
  const column = new Float64Array(n);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) column[i] = scores[i * k + c];
    const counts = rankedCounts(column, (r) => y[r] === c);
    areas.push(rocAucOf(counts));
    if (drawn) series.push({ name: labels[c], points: rocPoints(counts) });
  }
  return { auc: oneVsRestAuc(areas), charts: drawn ? [rocChart('ROC curves, one class vs the rest', [...series, diagonal])] : [] };
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
