import { describe, expect, it } from 'vitest';
import { evaluationReport, newTally, addToTally } from '../../../core/ml/evaluation-report.ts';
import { gainsCurve, precisionRecallCurve, rocCurve } from '../../../core/ml/curves.ts';
import { rocAuc } from '../../../core/ml/metrics.ts';
import { rankingStats } from '../../../core/ml/score-ranking.ts';
import type { ChartSpec, MetricsValue } from '../../../core/spec/values.ts';
import { Rng } from '../../../core/spec/random.ts';

/** n rows of a k-class model: probabilities on a coarse grid (ties), leaning toward the truth. */
function scoredRows(n: number, k: number, seed: number) {
  const rng = new Rng(seed);
  const yTrue: number[] = [], proba: number[] = [], values: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = rng.int(k);
    const raw = Array.from({ length: k }, (_, c) => Math.round((rng.next() + (c === y ? 0.5 : 0)) * 8) / 8 + 0.05);
    const s = raw.reduce((a, b) => a + b, 0);
    const p = raw.map((v) => v / s);
    yTrue.push(y);
    proba.push(...p);
    values.push(p.indexOf(Math.max(...p)));
  }
  return { yTrue, proba, values };
}

function report(k: number, rows: ReturnType<typeof scoredRows>, detail = true): MetricsValue {
  const { yTrue, proba, values } = rows;
  return evaluationReport({
    task: k === 2 ? 'binary' : 'multiclass',
    scope: 'test',
    classes: Array.from({ length: k }, (_, c) => `c${c}`),
    yTrue,
    prediction: { values: Float64Array.from(values), proba: Float64Array.from(proba) },
    rowIds: yTrue.map((_, i) => i),
    detail,
  });
}

const rankingsOf = (f: () => void) => {
  const before = rankingStats.rankings;
  f();
  return rankingStats.rankings - before;
};

const line = (charts: ChartSpec[], id: string) => charts.find((c): c is Extract<ChartSpec, { kind: 'line' }> => c.kind === 'line' && c.id === id)!;

describe('Evaluate ranks the scores once for its area and every curve', () => {
  it('a binary report ranks its rows once for ROC AUC, ROC, PR and gains (not once each)', () => {
    const rows = scoredRows(600, 2, 1);
    let m: MetricsValue | undefined;
    expect(rankingsOf(() => (m = report(2, rows)))).toBe(1);
    expect(m!.charts.map((c) => c.id)).toEqual(['confusion', 'roc', 'pr', 'calibration', 'gains', 'lift']);
    // Scores only (Train, cross-validation): the area's ranking alone.
    expect(rankingsOf(() => report(2, rows, false))).toBe(1);

    // The same numbers as each curve ranked on its own.
    const isPos = rows.yTrue;
    const p1 = rows.yTrue.map((_, i) => rows.proba[i * 2 + 1]);
    expect(m!.values.roc_auc).toBe(rocAuc(rows.yTrue, rows.proba, 2).value);
    const roc = rocCurve(isPos, p1), pr = precisionRecallCurve(isPos, p1), gains = gainsCurve(isPos, p1);
    expect(line(m!.charts, 'roc').series[0].points).toEqual(Array.from(roc.fpr, (x, i) => [x, roc.tpr[i]]));
    expect(line(m!.charts, 'pr').series[0].points).toEqual(Array.from(pr.recall, (x, i) => [x, pr.precision[i]]));
    expect(line(m!.charts, 'gains').series[0].points).toEqual(gains.fraction.map((f, i) => [f, gains.gains[i]]));
  });

  it('a multiclass report ranks each class once, for its area and its ROC series together', () => {
    expect(rankingsOf(() => report(4, scoredRows(300, 4, 2)))).toBe(4);
    expect(rankingsOf(() => report(4, scoredRows(300, 4, 2), false))).toBe(4);
  });

  it('a tally of fewer than 256 classes keeps a byte per row for the class', () => {
    const t = newTally({ task: 'binary', scope: 'test', classes: ['no', 'yes'], capacity: 3 });
    addToTally(t, { yTrue: [0, 1, 1], prediction: { values: Float64Array.from([0, 1, 0]), proba: Float64Array.from([0.8, 0.2, 0.3, 0.7, 0.6, 0.4]) }, rowIds: [0, 1, 2] });
    expect(t.labels).toBeInstanceOf(Uint8Array);
    expect(Array.from(t.labels!)).toEqual([0, 1, 1]);
  });
});

/**
 * 30 rows on a 0.1 grid (ties within and across classes). The expected areas and points are what
 * the report gave before its curves shared one ranking (two rankings per class then): the same
 * numbers, bit for bit.
 */
function gridTable(k: number, present: number) {
  const yTrue: number[] = [], proba: number[] = [], values: number[] = [];
  for (let i = 0; i < 30; i++) {
    const y = (i * 7 + Math.floor(i / 4)) % present;
    yTrue.push(y);
    const raw = Array.from({ length: k }, (_, c) => 1 + ((i * (c + 3) + c * 5) % 7) + (c === y ? 3 : 0));
    const s = raw.reduce((a, b) => a + b, 0);
    const p = raw.map((v) => Math.round((v / s) * 10) / 10);
    proba.push(...p);
    values.push(p.indexOf(Math.max(...p)));
  }
  return { yTrue, proba, values };
}

describe('multiclass ROC AUC and one-vs-rest curves are those of before, bit for bit', () => {
  it('3 classes', () => {
    const m = report(3, gridTable(3, 3));
    expect(m.values.roc_auc).toBe(0.7680223285486442);
    expect(line(m.charts, 'roc').series.map((s) => [s.name, s.points])).toEqual([
      ['c0', [[0, 0], [0, 0.2727272727272727], [0.21052631578947367, 0.5454545454545454], [0.21052631578947367, 0.9090909090909091], [0.6842105263157895, 1], [0.7894736842105263, 1], [1, 1]]],
      ['c1', [[0, 0], [0.19047619047619047, 0.2222222222222222], [0.42857142857142855, 0.3333333333333333], [0.9047619047619048, 1], [1, 1]]],
      ['c2', [[0, 0], [0, 0.5], [0.2, 1], [0.5, 1], [0.9, 1], [1, 1]]],
      ['chance', [[0, 0], [1, 1]]],
    ]);
  });

  it('4 classes, one absent from the actual values: averaged over 3, with the note, and no curve for it', () => {
    const m = report(4, gridTable(4, 3));
    expect(m.values.roc_auc).toBe(0.8013039754267824);
    expect(m.tables.find((t) => t.id === 'notes')!.rows).toContainEqual(['roc_auc averages 3 of 4 classes; the others have no rows among the actual values.']);
    expect(line(m.charts, 'roc').series.map((s) => [s.name, s.points])).toEqual([
      ['c0', [[0, 0], [0, 0.2727272727272727], [0, 0.36363636363636365], [0.47368421052631576, 1], [0.6842105263157895, 1], [1, 1]]],
      ['c1', [[0, 0], [0, 0.2222222222222222], [0.23809523809523808, 0.2222222222222222], [0.42857142857142855, 0.6666666666666666], [0.9047619047619048, 1], [1, 1]]],
      ['c2', [[0, 0], [0, 0.4], [0.25, 1], [0.9, 1], [1, 1]]],
      ['c3', []],
      ['chance', [[0, 0], [1, 1]]],
    ]);
  });
});
