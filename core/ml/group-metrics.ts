/**
 * Scores per group of a column (e.g. sex or age band), and how far the groups are apart — what a
 * lending model's audit asks for. Definitions follow Fairlearn's (MetricFrame and its
 * demographic_parity_* / equalized_odds_difference functions), with the positive class being the
 * second class in sorted order, as everywhere in Evaluate:
 *
 * - selection rate: share of the group's rows predicted positive
 * - accuracy, precision, recall (= true positive rate) and false positive rate within the group
 * - demographic parity difference / ratio: max − min and min / max of the selection rates
 * - equal opportunity difference: max − min of the true positive rates
 * - equalised odds difference: the larger of the TPR and FPR differences
 *
 * A rate with no rows behind it (recall of a group with no actual positives, precision of a group
 * with nothing predicted positive) is missing, not 0: it is left out of the differences and a note
 * says which group lacks it. Multiclass models get accuracy per group; regressions RMSE, MAE and
 * the mean prediction per group — parity is a binary notion.
 */
import type { ChartSpec, ResultTable, Task } from '../spec/values.ts';

export interface GroupRow {
  group: string;
  count: number;
  selection_rate: number | null;
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  false_positive_rate: number | null;
  rmse?: number | null;
  mae?: number | null;
  mean_prediction?: number | null;
}

export interface GroupMetrics {
  column: string;
  rows: GroupRow[];
  /** demographic_parity_difference, demographic_parity_ratio, equal_opportunity_difference, equalized_odds_difference (binary only). */
  values: Record<string, number>;
  notes: string[];
}

export const MISSING_GROUP = '(missing)';

const rate = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** Spread of defined rates: max − min, min / max; null when fewer than two groups define it. */
function spread(values: (number | null)[]): { diff: number; ratio: number } | null {
  const v = values.filter((x): x is number => x !== null);
  if (v.length < 2) return null;
  const lo = Math.min(...v), hi = Math.max(...v);
  return { diff: hi - lo, ratio: hi > 0 ? lo / hi : lo === 0 ? 1 : 0 };
}

/**
 * `groups[i]` is row i's group (null = missing); `yTrue` class indices (< 0: unknown, left out) or
 * numbers (NaN: left out); `yPred` the predicted class index or number.
 */
export function groupMetrics(args: { column: string; task: Task; groups: (string | null)[]; yTrue: ArrayLike<number>; yPred: ArrayLike<number> }): GroupMetrics {
  const tally: GroupTally = new Map();
  addToGroupTally(tally, args.task, args.groups, args.yTrue, args.yPred);
  return groupMetricsOf(tally, args.column, args.task);
}

/** Per group: its counts, and its sums in row order (a table tallied chunk by chunk gives the whole table's numbers). */
export type GroupTally = Map<string, { count: number; hit: number; tp: number; fp: number; pos: number; neg: number; predPos: number; se: number; ae: number; sum: number }>;

/** Rows (one chunk of them) added to the tally; arguments as groupMetrics's. */
export function addToGroupTally(tally: GroupTally, task: Task, groups: (string | null)[], yTrue: ArrayLike<number>, yPred: ArrayLike<number>): void {
  const classification = task === 'binary' || task === 'multiclass';
  for (let i = 0; i < groups.length; i++) {
    const usable = classification ? yTrue[i] >= 0 : Number.isFinite(yTrue[i]);
    if (!usable) continue;
    const g = groups[i] ?? MISSING_GROUP;
    let t = tally.get(g);
    if (!t) tally.set(g, (t = { count: 0, hit: 0, tp: 0, fp: 0, pos: 0, neg: 0, predPos: 0, se: 0, ae: 0, sum: 0 }));
    t.count++;
    if (classification) {
      if (yTrue[i] === yPred[i]) t.hit++;
      if (task !== 'binary') continue;
      const actual = yTrue[i] === 1, predicted = yPred[i] === 1;
      if (actual) t.pos++;
      else t.neg++;
      if (predicted) t.predPos++;
      if (actual && predicted) t.tp++;
      if (!actual && predicted) t.fp++;
    } else if (task === 'regression') {
      const e = yTrue[i] - yPred[i];
      t.se += e * e;
      t.ae += Math.abs(e);
      t.sum += yPred[i];
    }
  }
}

/** The scores per group, and how far apart they are, from a tally. */
export function groupMetricsOf(tally: GroupTally, column: string, task: Task): GroupMetrics {
  const classification = task === 'binary' || task === 'multiclass';
  const names = [...tally.keys()].sort((a, b) => (a === MISSING_GROUP ? 1 : b === MISSING_GROUP ? -1 : a < b ? -1 : a > b ? 1 : 0));
  const rows: GroupRow[] = names.map((group) => {
    const t = tally.get(group)!;
    const row: GroupRow = { group, count: t.count, selection_rate: null, accuracy: null, precision: null, recall: null, false_positive_rate: null };
    if (classification) {
      row.accuracy = t.hit / t.count;
      if (task === 'binary') {
        row.selection_rate = t.predPos / t.count;
        row.precision = rate(t.tp, t.predPos);
        row.recall = rate(t.tp, t.pos);
        row.false_positive_rate = rate(t.fp, t.neg);
      }
    } else if (task === 'regression') {
      row.rmse = Math.sqrt(t.se / t.count);
      row.mae = t.ae / t.count;
      row.mean_prediction = t.sum / t.count;
    }
    return row;
  });

  const values: Record<string, number> = {};
  const notes: string[] = [];
  if (task === 'binary') {
    const sel = spread(rows.map((r) => r.selection_rate));
    const tpr = spread(rows.map((r) => r.recall));
    const fpr = spread(rows.map((r) => r.false_positive_rate));
    if (sel) {
      values.demographic_parity_difference = sel.diff;
      values.demographic_parity_ratio = sel.ratio;
    }
    if (tpr) values.equal_opportunity_difference = tpr.diff;
    if (tpr && fpr) values.equalized_odds_difference = Math.max(tpr.diff, fpr.diff);
    for (const r of rows) {
      if (r.recall === null) notes.push(`Group "${r.group}" of "${column}" has no actual positives: its recall (true positive rate) is undefined and left out of the differences.`);
      if (r.false_positive_rate === null) notes.push(`Group "${r.group}" of "${column}" has no actual negatives: its false positive rate is undefined and left out of the differences.`);
    }
    if (rows.length < 2) notes.push(`"${column}" has a single group among the scored rows: there is nothing to compare.`);
  } else if (task === 'multiclass') {
    notes.push('Parity metrics (selection rate, demographic parity, equalised odds) compare a positive class between groups; a multiclass model gets accuracy per group.');
  }
  return { column, rows, values, notes };
}

const round = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : Math.round(x * 1e6) / 1e6);

/** The per-group table and its chart, for Evaluate's report. */
export function groupMetricsResults(m: GroupMetrics, task: Task): { table: ResultTable; chart: ChartSpec | null } {
  const regression = task === 'regression';
  const binary = task === 'binary';
  const columns = regression
    ? ['group', 'count', 'rmse', 'mae', 'mean_prediction']
    : binary
      ? ['group', 'count', 'selection_rate', 'accuracy', 'precision', 'recall', 'false_positive_rate']
      : ['group', 'count', 'accuracy'];
  const table: ResultTable = {
    id: 'group_metrics',
    title: `Scores per group of ${m.column}`,
    columns,
    rows: m.rows.map((r) => columns.map((c) => (c === 'group' ? r.group : c === 'count' ? r.count : round(r[c as keyof GroupRow] as number | null)))),
  };
  if (!m.rows.length) return { table, chart: null };
  const metrics = regression ? ['rmse', 'mae'] : binary ? ['selection_rate', 'accuracy', 'precision', 'recall'] : ['accuracy'];
  const chart: ChartSpec = {
    kind: 'bar',
    id: 'group_metrics',
    title: `Per group of ${m.column}`,
    categories: m.rows.map((r) => r.group),
    // A missing rate draws as 0; the table shows it as empty and a note says why.
    series: metrics.map((name) => ({ name, values: m.rows.map((r) => round(r[name as keyof GroupRow] as number | null) ?? 0) })),
  };
  return { table, chart };
}
