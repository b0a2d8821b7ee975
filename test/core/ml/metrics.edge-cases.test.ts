import { describe, expect, it } from 'vitest';
import { r2, rocAuc, scoreClassification, scoreRegression, logLoss } from '../../../core/ml/metrics.ts';
import { gainsCurve, worstRows, classificationCharts } from '../../../core/ml/curves.ts';
import { evaluationReport } from '../../../core/ml/evaluation-report.ts';

describe('metric edge cases', () => {
  it('roc_auc with one class in y_true is left out with a note, never NaN', () => {
    const y = [1, 1, 1, 1];
    const proba = [0.2, 0.8, 0.4, 0.6, 0.9, 0.1, 0.3, 0.7];
    expect(rocAuc(y, proba, 2).value).toBeNull();
    const s = scoreClassification('binary', y, [1, 1, 0, 1], 2, proba);
    expect('roc_auc' in s.values).toBe(false);
    expect(s.notes.join(' ')).toMatch(/only one class/);
    expect(Object.values(s.values).every(Number.isFinite)).toBe(true);
    expect(JSON.parse(JSON.stringify(s.values))).toEqual(s.values);
  });

  it('multiclass roc_auc averages the classes present and says so', () => {
    const y = [0, 0, 1, 1];
    const proba = [0.7, 0.2, 0.1, 0.6, 0.3, 0.1, 0.2, 0.7, 0.1, 0.1, 0.8, 0.1];
    const r = rocAuc(y, proba, 3);
    expect(r.value).toBeCloseTo(1, 12);
    expect(r.note).toMatch(/2 of 3 classes/);
  });

  it('scores without probabilities leave roc_auc and log_loss out', () => {
    const s = scoreClassification('binary', [0, 1, 1], [0, 1, 0], 2);
    expect(s.values.accuracy).toBeCloseTo(2 / 3, 12);
    expect(s.values.roc_auc).toBeUndefined();
    expect(s.values.log_loss).toBeUndefined();
    expect(s.notes[0]).toMatch(/probabilities/);
  });

  it('log_loss clips a confident wrong prediction instead of returning Infinity', () => {
    expect(Number.isFinite(logLoss([0], [0, 1], 2))).toBe(true);
    expect(logLoss([0], [0, 1], 2)).toBeCloseTo(-Math.log(2.220446049250313e-16), 6);
  });

  it('r2 of a constant target is 1 when exact, else 0 (sklearn force_finite)', () => {
    expect(r2([3, 3, 3], [3, 3, 3])).toBe(1);
    expect(r2([3, 3, 3], [3, 4, 3])).toBe(0);
  });

  it('empty input gives no values and a note', () => {
    expect(scoreRegression([], []).values).toEqual({});
    expect(scoreClassification('binary', [], [], 2).notes[0]).toMatch(/No rows/);
  });

  it('cumulative gains reach 1 and lift of a perfect ranking is 1/prevalence at first', () => {
    const isPos = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
    const score = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05];
    const g = gainsCurve(isPos, score, 10);
    expect(g.gains[g.gains.length - 1]).toBe(1);
    expect(g.gains[2]).toBe(1); // top 20% holds both positives
    expect(g.lift[0]).toBeCloseTo(5, 12);
    expect(g.lift[g.lift.length - 1]).toBeCloseTo(1, 12);
  });

  it('worst rows: lowest probability of the actual class first; regression by absolute error', () => {
    const t = worstRows({ rowIds: [10, 11, 12], yTrue: [0, 1, 1], yPred: [0, 0, 1], classes: ['no', 'yes'], proba: [0.9, 0.1, 0.8, 0.2, 0.4, 0.6], limit: 2 });
    expect(t.rows).toEqual([[11, 'yes', 'no', 0.2], [12, 'yes', 'yes', 0.6]]);
    const r = worstRows({ rowIds: [0, 1, 2], yTrue: [1, 2, 3], yPred: [1, 5, 2.5] });
    expect(r.rows[0]).toEqual([1, 2, 5, -3]);
  });

  it('charts of a one-class test set hold only finite numbers', () => {
    const charts = classificationCharts([1, 1], [1, 0], ['a', 'b'], [0.2, 0.8, 0.6, 0.4], [[0, 0], [1, 1]]);
    const text = JSON.stringify(charts);
    expect(text).not.toMatch(/null|NaN/);
    expect(charts.map((c) => c.id)).toEqual(['confusion', 'roc', 'pr', 'calibration', 'gains', 'lift']);
  });

  it('evaluation of rows with unknown classes or missing actuals leaves them out, with a note', () => {
    const m = evaluationReport({ task: 'binary', scope: 'test', classes: ['no', 'yes'], yTrue: [0, 1, -1, 1], prediction: { values: Float64Array.from([0, 1, 1, 0]) }, rowIds: [5, 6, 7, 8] });
    expect(m.values.accuracy).toBeCloseTo(2 / 3, 12);
    expect(m.tables.find((t) => t.id === 'notes')!.rows.flat().join(' ')).toMatch(/1 row\(s\) are left out/);
  });

  it('clustering and anomaly models get cluster sizes and a score histogram', () => {
    const c = evaluationReport({ task: 'clustering', scope: 'test', yTrue: [], prediction: { values: Float64Array.from([2, 0, 2, 2]) }, rowIds: [], detail: true });
    expect(c.charts[0]).toMatchObject({ kind: 'bar', categories: ['cluster 0', 'cluster 2'], series: [{ values: [1, 3] }] });
    const a = evaluationReport({ task: 'anomaly', scope: 'test', yTrue: [], prediction: { values: Float64Array.from([0.1, 0.5, 0.52, 0.9]) }, rowIds: [], detail: true });
    const h = a.charts[0] as { kind: string; bins: { count: number }[] };
    expect(h.kind).toBe('histogram');
    expect(h.bins.reduce((s, b) => s + b.count, 0)).toBe(4);
  });
});
