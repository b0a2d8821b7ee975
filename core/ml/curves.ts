/**
 * Curves behind the Evaluate charts: ROC and precision–recall (as sklearn.metrics roc_curve /
 * precision_recall_curve compute them), calibration (sklearn calibration_curve, uniform bins),
 * cumulative gains / lift, and the error-analysis table of the worst-predicted rows.
 */
import type { ChartSpec, ResultTable } from '../spec/values.ts';
import { descendingOrder, type Num } from './metrics.ts';

/**
 * Distinct-threshold cumulative counts, highest score first (sklearn `_binary_clf_curve`), in
 * typed arrays: a streamed Evaluate draws the curves of millions of rows.
 */
function binaryClfCurve(isPos: Num, score: Num): { fps: Uint32Array; tps: Uint32Array; thresholds: Float64Array } {
  const n = score.length;
  const order = descendingOrder(score);
  const fps = new Uint32Array(n), tps = new Uint32Array(n), thresholds = new Float64Array(n);
  let tp = 0, fp = 0, m = 0;
  for (let i = 0; i < n; i++) {
    const r = order[i];
    if (isPos[r]) tp++;
    else fp++;
    if (i === n - 1 || score[order[i + 1]] !== score[r]) {
      tps[m] = tp;
      fps[m] = fp;
      thresholds[m++] = score[r];
    }
  }
  return { fps: fps.subarray(0, m), tps: tps.subarray(0, m), thresholds: thresholds.subarray(0, m) };
}

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

/** sklearn roc_curve(drop_intermediate=True): collinear points dropped, (0, 0) prepended. */
export function rocCurve(isPos: Num, score: Num): RocCurve {
  const { fps, tps, thresholds } = binaryClfCurve(isPos, score);
  let m = fps.length;
  if (m > 2) {
    // Kept points move down in place; the second differences read the original neighbours.
    let [f0, t0] = [fps[0], tps[0]];
    let w = 1;
    for (let i = 1; i < m - 1; i++) {
      const [f1, t1] = [fps[i], tps[i]];
      const d2f = fps[i + 1] - 2 * f1 + f0;
      const d2t = tps[i + 1] - 2 * t1 + t0;
      if (d2f !== 0 || d2t !== 0) {
        fps[w] = f1;
        tps[w] = t1;
        thresholds[w++] = thresholds[i];
      }
      [f0, t0] = [f1, t1];
    }
    fps[w] = fps[m - 1];
    tps[w] = tps[m - 1];
    thresholds[w++] = thresholds[m - 1];
    m = w;
  }
  const P = m ? tps[m - 1] : 0;
  const N = m ? fps[m - 1] : 0;
  const fpr = new Float64Array(m + 1), tpr = new Float64Array(m + 1), th = new Float64Array(m + 1);
  th[0] = (m ? thresholds[0] : 0) + 1;
  for (let i = 0; i < m; i++) {
    fpr[i + 1] = fps[i] / N;
    tpr[i + 1] = tps[i] / P;
    th[i + 1] = thresholds[i];
  }
  // An undefined rate (no negatives, or no positives) is NaN everywhere, (0, 0) included.
  if (!N) fpr.fill(NaN);
  if (!P) tpr.fill(NaN);
  return { fpr, tpr, thresholds: th };
}

export interface PrCurve {
  precision: Float64Array;
  recall: Float64Array;
  thresholds: Float64Array;
}

/** sklearn 1.2 precision_recall_curve: increasing thresholds, the (recall 0, precision 1) point last. */
export function precisionRecallCurve(isPos: Num, score: Num): PrCurve {
  const { fps, tps, thresholds } = binaryClfCurve(isPos, score);
  const m = tps.length;
  const P = m ? tps[m - 1] : 0;
  const precision = new Float64Array(m + 1), recall = new Float64Array(m + 1), th = new Float64Array(m);
  for (let i = m - 1, j = 0; i >= 0; i--, j++) {
    const ps = tps[i] + fps[i];
    precision[j] = ps ? tps[i] / ps : 0;
    // sklearn sets recall to 1 everywhere when y_true has no positives
    recall[j] = P ? tps[i] / P : 1;
    th[j] = thresholds[i];
  }
  precision[m] = 1;
  recall[m] = 0;
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
function thinZip(x: Num, y: Num, max = 400): [number, number][] {
  const at: number[] = [];
  let every = true;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      if (!every) at.push(i);
    } else if (every) {
      every = false;
      for (let j = 0; j < i; j++) at.push(j);
    }
  }
  const n = every ? x.length : at.length;
  return thinIndices(n, max).map((t): [number, number] => {
    const i = every ? t : at[t];
    return [x[i], y[i]];
  });
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
