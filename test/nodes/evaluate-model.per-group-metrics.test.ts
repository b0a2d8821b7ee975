import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupMetrics } from '../../core/ml/group-metrics.ts';
import type { MetricsValue } from '../../core/spec/index.ts';
import { runPipeline } from '../support/run-pipeline.ts';

// A fixed test table whose predictions are known: the model learns "yes iff x > 0.5" from clean
// training rows, so x = 0.9 is predicted yes and x = 0.1 no. (actual, predicted) per row:
//   A: (yes,yes) (yes,yes) (yes,no) (no,yes) (no,yes) (no,no) (no,no)
//   B: (yes,yes) (yes,yes) (no,no) ×6
//   C: (no,no) (no,yes)                         — no actual positives
// By hand:
//   A: selection 4/7, accuracy 4/7, precision 2/4, recall 2/3, FPR 2/4
//   B: selection 2/8, accuracy 1,   precision 1,   recall 1,   FPR 0
//   C: selection 1/2, accuracy 1/2, precision 0,   recall —,   FPR 1/2
//   demographic parity difference 4/7 − 1/4 = 9/28, ratio (1/4)/(4/7) = 7/16
//   equal opportunity difference 1 − 2/3 = 1/3 (C has no TPR)
//   equalised odds difference max(1/3, 1/2 − 0) = 1/2
const ROWS: [string, 'yes' | 'no', 'yes' | 'no'][] = [
  ['A', 'yes', 'yes'], ['A', 'yes', 'yes'], ['A', 'yes', 'no'], ['A', 'no', 'yes'], ['A', 'no', 'yes'], ['A', 'no', 'no'], ['A', 'no', 'no'],
  ['B', 'yes', 'yes'], ['B', 'yes', 'yes'], ...Array.from({ length: 6 }, (): [string, 'yes' | 'no', 'yes' | 'no'] => ['B', 'no', 'no']),
  ['C', 'no', 'no'], ['C', 'no', 'yes'],
];

const EXPECTED_GROUPS = [
  ['A', 7, 4 / 7, 4 / 7, 2 / 4, 2 / 3, 2 / 4],
  ['B', 8, 2 / 8, 1, 1, 1, 0],
  ['C', 2, 1 / 2, 1 / 2, 0, null, 1 / 2],
];

describe('per-group metrics', () => {
  it('match the hand-computed rates and parity differences on a fixed table', () => {
    const m = groupMetrics({
      column: 'group',
      task: 'binary',
      groups: ROWS.map((r) => r[0]),
      yTrue: ROWS.map((r) => (r[1] === 'yes' ? 1 : 0)),
      yPred: ROWS.map((r) => (r[2] === 'yes' ? 1 : 0)),
    });
    expect(m.rows.map((r) => [r.group, r.count, r.selection_rate, r.accuracy, r.precision, r.recall, r.false_positive_rate])).toEqual(EXPECTED_GROUPS);
    expect(m.values.demographic_parity_difference).toBeCloseTo(9 / 28, 14);
    expect(m.values.demographic_parity_ratio).toBeCloseTo(7 / 16, 14);
    expect(m.values.equal_opportunity_difference).toBeCloseTo(1 / 3, 14);
    expect(m.values.equalized_odds_difference).toBeCloseTo(1 / 2, 14);
    expect(m.notes.join(' ')).toMatch(/Group "C" of "group" has no actual positives/);
  });

  it('Evaluate with a group column reports them, with a table and a chart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-groups-'));
    const train = Array.from({ length: 20 }, (_, i) => `${(i + 0.5) / 20},${(i + 0.5) / 20 > 0.5 ? 'yes' : 'no'}`);
    writeFileSync(join(dir, 'train.csv'), `x,label\n${train.join('\n')}\n`);
    writeFileSync(join(dir, 'test.csv'), `x,label,group\n${ROWS.map(([g, actual, predicted]) => `${predicted === 'yes' ? 0.9 : 0.1},${actual},${g}`).join('\n')}\n`);
    const run = await runPipeline(
      {
        nodes: [
          { id: 'train_rows', type: 'data.load_csv', version: 1, params: { path: 'train.csv' } },
          { id: 'test_rows', type: 'data.load_csv', version: 1, params: { path: 'test.csv' } },
          { id: 'train', type: 'ml.train', version: 2, params: { target: 'label', learner: 'decision_tree', learner_params: { max_depth: 1 } } },
          { id: 'evaluate', type: 'ml.evaluate', version: 1, params: { group_column: 'group' } },
        ],
        edges: [
          { from: 'train_rows.table', to: 'train.table' },
          { from: 'train.model', to: 'evaluate.model' },
          { from: 'test_rows.table', to: 'evaluate.table' },
        ],
      },
      { dir },
    );
    const m = run.output<MetricsValue>('evaluate', 'metrics');
    expect(m.values.accuracy).toBeCloseTo(13 / 17, 14); // 4 + 8 + 1 right
    expect(m.values.demographic_parity_difference).toBeCloseTo(9 / 28, 14);
    expect(m.values.demographic_parity_ratio).toBeCloseTo(7 / 16, 14);
    expect(m.values.equal_opportunity_difference).toBeCloseTo(1 / 3, 14);
    expect(m.values.equalized_odds_difference).toBeCloseTo(1 / 2, 14);
    const table = m.tables.find((t) => t.id === 'group_metrics')!;
    expect(table.columns).toEqual(['group', 'count', 'selection_rate', 'accuracy', 'precision', 'recall', 'false_positive_rate']);
    expect(table.rows.map((r) => r.slice(0, 2))).toEqual([['A', 7], ['B', 8], ['C', 2]]);
    expect(table.rows[2][5]).toBeNull();
    const chart = m.charts.find((c) => c.id === 'group_metrics');
    expect(chart).toMatchObject({ kind: 'bar', categories: ['A', 'B', 'C'] });
    expect(m.tables.find((t) => t.id === 'notes')!.rows.flat().join(' ')).toMatch(/Group "C".*no actual positives/);
  });

  it('Evaluate names a group column the table does not have', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-groups-'));
    writeFileSync(join(dir, 'rows.csv'), `x,label\n${Array.from({ length: 10 }, (_, i) => `${i},${i > 4 ? 'yes' : 'no'}`).join('\n')}\n`);
    const run = await runPipeline(
      {
        nodes: [
          { id: 'rows', type: 'data.load_csv', version: 1, params: { path: 'rows.csv' } },
          { id: 'train', type: 'ml.train', version: 2, params: { target: 'label', learner: 'decision_tree' } },
          { id: 'evaluate', type: 'ml.evaluate', version: 1, params: { group_column: 'sex' } },
        ],
        edges: [
          { from: 'rows.table', to: 'train.table' },
          { from: 'train.model', to: 'evaluate.model' },
          { from: 'rows.table', to: 'evaluate.table' },
        ],
      },
      { dir },
    );
    expect(run.node('evaluate').error).toMatchObject({ code: 'COLUMN_NOT_FOUND', column: 'sex', nodeId: 'evaluate' });
  });
});
